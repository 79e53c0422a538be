from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("members/<str:username>/", views.profile, name="profile"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/delete/", views.delete_account_view, name="delete"),
    path("settings/export/", views.export_account_data_view, name="export"),
]
