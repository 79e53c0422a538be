"""Solved questions for /sitemap.xml, beside Wagtail's own sitemap of the page tree
(categories, the knowledge base and its published articles)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from forum.models import Question


class SolvedQuestionSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self) -> QuerySet[Question]:
        # Served by the q_solved partial index (visible, solved, by last activity).
        return (
            Question.objects.visible_to(None)
            .filter(accepted_answer__isnull=False)
            .only("pk", "slug", "last_activity_at")
            .order_by("-last_activity_at", "-id")
        )

    def lastmod(self, question: Question):
        return question.last_activity_at
