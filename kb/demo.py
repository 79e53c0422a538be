"""The knowledge base's part of the demo community (the demo loader calls ensure_kb_index)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission

from forum.models import CommunityIndexPage
from kb.models import FAQPage, KnowledgeBaseIndexPage

EDITORS_GROUP = "Knowledge base editors"
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


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
