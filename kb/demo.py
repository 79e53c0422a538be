"""The knowledge base's part of the demo community: the index, its FAQ page and a few
articles promoted from solved demo threads (the demo loader calls ensure_kb_index, then
ensure_kb_articles once the threads are in)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission

from accounts.models import User
from forum.models import CommunityIndexPage, Question
from kb import actions
from kb.models import ArticlePage, FAQPage, KnowledgeBaseIndexPage

EDITORS_GROUP = "Knowledge base editors"
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]

# Solved demo threads (by title) that staff have promoted and published, and whether each
# is on the FAQ page. The other solved threads stay promotion candidates, so the demo can
# show a promotion from start to finish.
ARTICLES = [
    ("Bagaimana cara mengubah metode pembayaran?", True),
    ("NusaRouter AX3000 keeps dropping Wi-Fi every few hours", True),
    ("How do I add an SSH key to an existing VPS?", True),
    ("Emails from my domain land in Gmail's spam folder: how do I set up SPF and DKIM?", False),
]


@transaction.atomic
def ensure_kb_index() -> KnowledgeBaseIndexPage:
    """The published knowledge base under the community index, with its FAQ page, created if
    missing; the "Knowledge base editors" group may add, edit and publish pages in it.
    Safe to run again: it creates only what is missing."""
    index = KnowledgeBaseIndexPage.objects.order_by("path").first()
    if index is None:
        community = CommunityIndexPage.objects.order_by("path").first()
        index = KnowledgeBaseIndexPage(
            title=_("Knowledge base"),
            slug="knowledge-base",
            intro=_("<p>Answers from the community, checked and kept up to date by staff.</p>"),
        )
        community.add_child(instance=index)
        index.save_revision().publish()
    if not FAQPage.objects.child_of(index).exists():
        faq = FAQPage(title=_("Frequently asked questions"), slug="faq")
        index.add_child(instance=faq)
        faq.save_revision().publish()
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    return index


@transaction.atomic
def ensure_kb_articles(staff: User) -> int:
    """Promote and publish the demo's articles as `staff`, through the same action as the
    "Add to knowledge base" button and Wagtail's own publishing (so the credited members
    get their bonus). Returns how many it published; safe to run again."""
    published = 0
    for title, is_faq in ARTICLES:
        question = Question.objects.filter(title=title, accepted_answer__isnull=False).first()
        if question is None:
            continue
        article = actions.promote_question(staff, question)
        if article.live:
            continue
        article = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
        article.is_faq = is_faq
        article.save_revision(user=staff).publish(user=staff)
        published += 1
    return published
