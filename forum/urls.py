from django.urls import path

from forum import views

app_name = "forum"

urlpatterns = [
    path("questions/<int:question_id>/<str:slug>/", views.question_detail, name="question"),
]
