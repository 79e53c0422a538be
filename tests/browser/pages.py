"""A small community for the browser tests to look at: one category, a solved question
with tags, answers and comments, an unanswered one, a published knowledge-base article
(also on the FAQ page), and members to view it as."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from forum import actions
from forum.models import CategoryPage, Question
from kb import actions as kb_actions
from kb.demo import EDITORS_GROUP, ensure_kb_index
from kb.models import ArticlePage, FAQPage
from tests.factories import CategoryFactory, StaffFactory, UserFactory

SEARCH_NOT_WIRED = "search not wired"


def search_url(query: str = "") -> str | None:
    """The site search page (for `query`), or None while search/urls.py isn't included."""
    try:
        url = reverse("search:search")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'q': query})}" if query else url


SIMILAR_NOT_WIRED = "similar-question suggestions not wired into the ask form"


def similar_url() -> str | None:
    """The ask form's similar-questions fragment, or None while search isn't wired."""
    try:
        return reverse("search:similar")
    except NoReverseMatch:
        return None


SIMILAR_REGION = "These solved questions may already answer"


def show_similar_questions(page, title: str):
    """On the ask page, type `title` and return the similar-questions region once it lists
    something; None while the ask form isn't wired to search:similar."""
    if not (url := similar_url()) or url not in page.content():
        return None
    page.get_by_label("Title").press_sequentially(title)
    region = page.get_by_role("region", name=SIMILAR_REGION)
    region.get_by_role("listitem").first.wait_for()
    return region


def kb_editor() -> User:
    """Staff in the "Knowledge base editors" group: may promote and publish articles."""
    ensure_kb_index()
    editor = StaffFactory(username="editor", display_name="Dewi Editor")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return editor


@dataclass
class Community:
    category: CategoryPage
    question: Question
    asker: User
    answerer: User
    member: User  # may vote and comment on everything here
    article: ArticlePage

    def urls(self) -> dict[str, str]:
        """The pages every theme must get right, by name (search has a test of its own)."""
        return {
            "home": "/",
            "category": self.category.url,
            "questions": reverse("forum:questions"),
            "question": self.question.get_absolute_url(),
            "ask": reverse("forum:ask"),
            "article": self.article.url,
            "faq": FAQPage.objects.get().url,
            "profile": reverse("accounts:profile", args=[self.answerer.username]),
            "signup": reverse("account_signup"),
        }


def build_community() -> Community:
    category = CategoryFactory(
        title="NusaRouter & Internet", intro="Setting up and troubleshooting the router."
    )
    asker = UserFactory(username="agus", display_name="Agus Pratama", reputation=120)
    answerer = UserFactory(username="maya", display_name="Maya Lestari", reputation=90)
    member = UserFactory(username="budi", reputation=1500)
    question = actions.ask_question(
        asker,
        title="How can I forward port 443 to my NAS behind the NusaRouter?",
        body="I set a rule under *Advanced → NAT* but nothing answers from outside.\n\n"
        "```\nNAT: 443 -> 192.168.1.20:443 (TCP)\n```",
        category=category,
        tags="nusarouter port-forwarding nas",
    )
    answer = actions.post_answer(
        answerer,
        question,
        body="Turn off **remote management** first: it listens on 443 itself. "
        "Then save the rule again and test from mobile data, not from your own Wi-Fi.",
    )
    actions.post_answer(member, question, body="Also check that your ISP gives you a public IP.")
    actions.post_comment(member, question, body="Which firmware version are you on?")
    actions.post_comment(asker, answer, body="That was it, thank you!")
    actions.cast_vote(member, answer, 1)
    actions.accept_answer(asker, question, answer)
    editor = kb_editor()
    article = kb_actions.promote_question(editor, question)
    article.is_faq = True
    article.save_revision(user=editor).publish(user=editor)
    article = ArticlePage.objects.get(pk=article.pk)
    hosting = CategoryFactory(
        title="Cloud Hosting", intro="VPS, backups, snapshots and the API.", colour="#7c3aed"
    )
    billing = CategoryFactory(
        title="Billing & Payments", intro="Invoices, payment methods and refunds.", colour="#0f766e"
    )
    snapshots = actions.ask_question(
        answerer,
        title="Is there an API to create VPS snapshots from a cron job?",
        body="I'd like nightly snapshots without clicking through the panel.",
        category=hosting,
        tags="api vps",
    )
    actions.cast_vote(member, snapshots, 1)
    invoice = actions.ask_question(
        member,
        title="Why was I charged twice for my March invoice?",
        body="Two identical charges appeared on my card on the same day.",
        category=billing,
        tags="billing refund",
    )
    refund = actions.post_answer(
        answerer, invoice, body="The second one is a pre-authorisation; it drops off in 3 days."
    )
    actions.accept_answer(member, invoice, refund)
    return Community(category, question, asker, answerer, member, article)


def open_menu_if_phone(page):
    """The header part holding the site's links: on a phone (the menu showing) the menu,
    opened; on wider screens the row's navigation."""
    menu = page.locator(".site-menu")
    if not menu.is_visible():
        return page.locator(".site-nav")
    if not menu.evaluate("m => m.open"):
        menu.locator("summary").click()
    return menu


def header_link(page, name: str):
    """The header's link called `name`, from the row or, on a phone, from the menu."""
    return open_menu_if_phone(page).get_by_role("link", name=name)


def theme_toggle(page):
    """The visible light/dark toggle: the row's, or on a phone the menu's."""
    open_menu_if_phone(page)
    return page.locator("[data-theme-toggle]:visible")


# --- Both languages (docs/i18n.md) --------------------------------------------------------
# The Indonesian home, category, knowledge base, FAQ and the article's translation, made as
# Wagtail's "Translate" makes them (copy_for_translation), over build_community's pages.

ARTICLE_TITLE_ID = "Bagaimana cara meneruskan port 443 ke NAS di balik NusaRouter?"
ARTICLE_BODY_ID = (
    "## Masalah\n\nSaya membuat aturan di *Lanjutan → NAT*, tetapi tidak ada yang menjawab "
    "dari luar.\n\n## Solusi\n\nMatikan **manajemen jarak jauh** terlebih dahulu: fitur itu "
    "sendiri memakai port 443. Lalu simpan aturan itu lagi dan uji dari data seluler."
)


def tr(language: str, message: str) -> str:
    """`message` as the site shows it in `language` (the project's catalogue)."""
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(message)


def translate_page(page, *, title: str, slug: str, **fields):
    """`page`'s Indonesian translation, published (parents translated first if missing)."""
    from wagtail.models import Locale

    copy = page.copy_for_translation(Locale.objects.get(language_code="id"), copy_parents=True)
    copy.title, copy.slug = title, slug
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return type(page).objects.get(pk=copy.pk)


@dataclass
class Bilingual:
    community: Community
    articles: dict[str, ArticlePage]  # by language code: the same article in each
    homes: dict[str, str]
    knowledge_bases: dict[str, str]  # the index's address in each language


def build_bilingual_community() -> Bilingual:
    from forum.models import CommunityIndexPage
    from kb.blocks import markdown_to_blocks
    from kb.models import KnowledgeBaseIndexPage

    community = build_community()
    english_home = CommunityIndexPage.objects.get()
    indonesian_home = translate_page(english_home, title="Komunitas Nusantara", slug="beranda")
    translate_page(community.category, title="NusaRouter & Internet", slug="nusarouter-internet")
    index = KnowledgeBaseIndexPage.objects.get()
    translate_page(index, title="Basis pengetahuan", slug="basis-pengetahuan")
    translate_page(FAQPage.objects.get(), title="Pertanyaan umum", slug="pertanyaan-umum")
    article_id = translate_page(
        community.article,
        title=ARTICLE_TITLE_ID,
        slug="meneruskan-port-443",
        summary="Meneruskan port 443 ke NAS ketika manajemen jarak jauh memakainya.",
        body=markdown_to_blocks(ARTICLE_BODY_ID),
    )
    index_id = KnowledgeBaseIndexPage.objects.get(locale__language_code="id")
    return Bilingual(
        community=community,
        articles={"en": community.article, "id": article_id},
        homes={"en": english_home.url, "id": indonesian_home.url},
        knowledge_bases={"en": index.url, "id": index_id.url},
    )
