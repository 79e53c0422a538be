from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/settings/", views.settings_view, name="settings"),
    path("notifications/read-all/", views.mark_all_read_view, name="read_all"),
    path("notifications/mentions/", views.mention_suggestions, name="mention_suggestions"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("accept/<str:token>/", views.accept_view, name="accept"),
    path("notifications/<int:notification_id>/go/", views.go_view, name="go"),
    path("notifications/<int:notification_id>/read/", views.mark_read_view, name="read"),
    path(
        "follow/<str:target>/<str:key>/",
        views.follow_view,
        {"following": True},
        name="follow",
    ),
    path(
        "unfollow/<str:target>/<str:key>/",
        views.follow_view,
        {"following": False},
        name="unfollow",
    ),
]
