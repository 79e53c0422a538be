from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("moderation/flag/<str:kind>/<int:post_id>/", views.flag_view, name="flag"),
    path("moderation/queue/", views.queue_view, name="queue"),
    path("moderation/reviews/<int:review_id>/resolve/", views.resolve_view, name="resolve"),
]
