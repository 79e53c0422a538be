"""The accounts: URL namespace. config/urls.py adds the forum's member pages to it
(`forum.urls.member_urlpatterns`: the profile and the data download), since those show
posts and accounts imports nothing from the forum."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.account_settings, name="settings"),
    path("language/", views.switch_language_view, name="switch_language"),
    path("settings/delete/", views.delete_account_view, name="delete"),
]
