from django.urls import path

from kb import feeds, views

app_name = "kb"

urlpatterns = [
    path("kb/promote/<int:question_id>/", views.promote_question_view, name="promote"),
    path("kb/articles/<int:article_id>/helpful/", views.rate_article_view, name="rate"),
    path("feeds/articles/", feeds.NewestArticlesFeed(), name="feed_articles"),
    path("feeds/articles/atom/", feeds.NewestArticlesAtomFeed(), name="feed_articles_atom"),
    path("help/", views.knowledge_base_redirect, name="index"),
    path("help/faq/", views.faq_redirect, name="faq"),
]
