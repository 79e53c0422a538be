from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("similar/", views.similar_fragment, name="similar"),
    path("go/<int:question_id>/", views.go_to_result, name="go"),
    path("go/article/<int:article_id>/", views.go_to_article, name="go_article"),
]
