"""The main journey in a real browser: a newcomer signs up and asks, a second member
answers, a third votes, the asker accepts, and reputation moves; then a staff member adds
the thread to the knowledge base from its page and publishes the article in Wagtail's
editor, and the article is found through the site search. At desktop and phone width
with JavaScript (htmx), and the core steps again with JavaScript turned off. Also: the
ask form suggests solved questions like the title being typed.
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from forum.models import Question
from kb.models import ArticlePage
from tests.browser.conftest import (
    DESKTOP,
    PASSWORD,
    PHONE,
    expect,
    log_in,
    screenshot,
    skip_module_unless_ready,
)
from tests.browser.pages import (
    SEARCH_NOT_WIRED,
    SIMILAR_NOT_WIRED,
    build_community,
    header_link,
    kb_editor,
    search_url,
    show_similar_questions,
)
from tests.factories import CategoryFactory, UserFactory

skip_module_unless_ready()

# serialized_rollback: the flush after a live-server test would otherwise take the home
# page, the default Site and its theme (all made by migrations) from later tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REP = settings.TANYA_REPUTATION
TITLE = "How do I move my domain's DNS to Nusantara Cloud?"
BODY = "My domain is registered elsewhere. Do I transfer it, or just change the DNS records?"
ANSWER = "Keep the registrar and change the **nameservers** to ours; it takes a few hours."


def _sign_up(page, username: str) -> None:
    page.goto(reverse("account_signup"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".site-account .member-chip")).to_contain_text(username)


def _ask(page, category_title: str) -> None:
    header_link(page, "Ask").click()
    expect(page.locator("h1")).to_have_text("Ask a question")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Details").fill(BODY)
    page.get_by_label("Category").select_option(label=category_title)
    page.get_by_label("Tags").fill("dns domain")
    page.get_by_role("button", name="Post your question").click()
    expect(page.locator("h1")).to_have_text(TITLE)


def _answer(page) -> None:
    page.get_by_role("textbox", name="Write your answer").fill(ANSWER)
    page.get_by_role("button", name="Post your answer").click()
    expect(page.locator("#answers h2")).to_have_text("1 answer")
    expect(page.locator("#answers .prose strong")).to_have_text("nameservers")


def _answer_vote_up(page):
    return page.locator("#answers .vote__button--up").first


def _journey(new_context, live_server, viewport: dict) -> None:
    category = CategoryFactory(title="Email & Domains")
    answerer = UserFactory(username="maya")
    voter = UserFactory(username="budi", reputation=200)

    # A newcomer signs up and asks.
    asker_page = new_context(viewport=viewport).new_page()
    _sign_up(asker_page, "sari")
    screenshot(asker_page, "home-signed-in")
    _ask(asker_page, category.title)
    question_url = asker_page.url

    # A second member answers (htmx swaps the answers in place).
    answer_page = new_context(viewport=viewport).new_page()
    log_in(answer_page.context, answerer, live_server)
    answer_page.goto(question_url)
    _answer(answer_page)

    # A third member, with the reputation to vote, votes the answer and the question up.
    vote_page = new_context(viewport=viewport).new_page()
    log_in(vote_page.context, voter, live_server)
    vote_page.goto(question_url)
    _answer_vote_up(vote_page).click()
    expect(_answer_vote_up(vote_page)).to_have_attribute("aria-pressed", "true")
    expect(vote_page.locator("#answers .vote__score").first).to_contain_text("1")
    # htmx put keyboard focus back on the (new) button and the change was announced.
    expect(_answer_vote_up(vote_page)).to_be_focused()
    expect(vote_page.locator("#announcer")).to_contain_text("The score is now 1")
    vote_page.locator("#question .vote__button--up").click()
    expect(vote_page.locator("#question .vote__button--up")).to_have_attribute(
        "aria-pressed", "true"
    )

    # The asker accepts it.
    asker_page.reload()
    asker_page.get_by_role("button", name="Accept this answer").click()
    expect(asker_page.locator("#answers .solution")).to_contain_text("Solution")
    expect(asker_page.get_by_role("button", name="Unaccept")).to_be_focused()
    expect(asker_page.locator("#announcer")).to_contain_text("with an accepted solution")
    screenshot(asker_page, "question-solved")

    # Reputation moved: the ledger and the pages agree.
    answerer.refresh_from_db()
    asker = User.objects.get(username="sari")
    assert answerer.reputation == 1 + REP["ANSWER_UPVOTED"] + REP["ANSWER_ACCEPTED"]
    assert asker.reputation == 1 + REP["QUESTION_UPVOTED"] + REP["ACCEPTED_AN_ANSWER"]
    profile = new_context(viewport=viewport).new_page()
    profile.goto(reverse("accounts:profile", args=["maya"]))
    expect(profile.locator(".profile__stats")).to_contain_text(str(answerer.reputation))
    screenshot(profile, "profile")

    # The list shows the question as solved, with its votes.
    profile.goto(reverse("forum:questions"))
    card = profile.locator(".question-card").filter(has_text=TITLE)
    expect(card).to_contain_text("Solved")
    expect(card.locator(".stat").first).to_have_text(re.compile(r"^\s*vote\s+1\s*$"))
    screenshot(profile, "questions")
    profile.goto("/")
    screenshot(profile, "home")

    # A staff member adds the thread to the knowledge base from its page and publishes
    # the draft in Wagtail's editor (staff work at a desk: desktop width).
    staff_page = new_context(viewport=DESKTOP).new_page()
    log_in(staff_page.context, kb_editor(), live_server)
    staff_page.goto(question_url)
    staff_page.get_by_role("button", name="Add to knowledge base").click()
    expect(staff_page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    _publish_in_wagtail(staff_page)
    article = ArticlePage.objects.get(source_question__title=TITLE)
    assert article.live
    # Publishing credits the solution's author with the knowledge-base bonus.
    before = answerer.reputation
    answerer.refresh_from_db()
    assert answerer.reputation == before + settings.TANYA_KB["PROMOTION_BONUS"]

    # Anyone finds the article through the site search and reads it.
    if not (url := search_url("move domain DNS nameservers")):
        pytest.skip(SEARCH_NOT_WIRED)
    profile.goto(url)
    hit = profile.locator(".search-result").filter(has_text="Knowledge base").filter(has_text=TITLE)
    expect(hit).to_have_count(1)
    screenshot(profile, "search")
    hit.get_by_role("link", name=TITLE).click()
    expect(profile).to_have_url(re.compile(re.escape(article.url) + "$"))
    expect(profile.locator("h1")).to_have_text(TITLE)
    expect(profile.locator("main")).to_contain_text("nameservers")
    screenshot(profile, "article")


def _publish_in_wagtail(page) -> None:
    """Press Publish in Wagtail's page editor (in the footer's "more actions" menu)."""
    footer = page.locator("footer.footer")
    publish = footer.locator("button[name=action-publish]")
    if not publish.is_visible():
        footer.get_by_role("button", name="More actions").click()
    publish.click()
    expect(page.locator(".messages")).to_contain_text("published")


def test_typing_a_title_on_the_ask_page_suggests_a_solved_question(new_context, live_server):
    community = build_community()
    context = new_context(viewport=DESKTOP)
    log_in(context, community.member, live_server)
    page = context.new_page()
    page.goto(reverse("forum:ask"))

    if not (suggestions := show_similar_questions(page, "forward port 443 to my NAS")):
        pytest.skip(SIMILAR_NOT_WIRED)

    # The knowledge-base article made from the solved thread, once (the thread itself is
    # folded into its article); nothing unrelated.
    expect(suggestions.get_by_role("link", name=community.question.title)).to_have_count(1)
    expect(suggestions.locator("li").filter(has_text="Knowledge base")).to_contain_text(
        community.question.title
    )
    expect(suggestions).not_to_contain_text("charged twice")
    screenshot(page, "ask-suggestions")


def test_the_main_journey_at_desktop_width(new_context, live_server):
    _journey(new_context, live_server, DESKTOP)


def test_the_main_journey_at_phone_width(new_context, live_server):
    _journey(new_context, live_server, PHONE)


def test_asking_answering_voting_and_accepting_work_without_javascript(new_context, live_server):
    category = CategoryFactory(title="NusaRouter & Internet")
    asker = UserFactory(username="agus")
    answerer = UserFactory(username="nina")
    voter = UserFactory(username="wayan", reputation=200)

    def page_for(user):
        context = new_context(viewport=PHONE, java_script_enabled=False)
        log_in(context, user, live_server)
        return context.new_page()

    asker_page = page_for(asker)
    asker_page.goto("/")
    _ask(asker_page, category.title)
    question = Question.objects.get(title=TITLE)

    answer_page = page_for(answerer)
    answer_page.goto(asker_page.url)
    answer_page.get_by_role("textbox", name="Write your answer").fill(ANSWER)
    answer_page.get_by_role("button", name="Post your answer").click()
    # A plain post redirects to the answer's anchor and flashes a thank-you.
    expect(answer_page).to_have_url(re.compile(r"#answer-\d+$"))
    expect(answer_page.locator("#flash")).to_contain_text("Thanks for your answer")

    vote_page = page_for(voter)
    vote_page.goto(asker_page.url)
    _answer_vote_up(vote_page).click()
    expect(_answer_vote_up(vote_page)).to_have_attribute("aria-pressed", "true")

    asker_page.reload()
    asker_page.get_by_role("button", name="Accept this answer").click()
    expect(asker_page.locator("#answers .solution")).to_contain_text("Solution")

    question.refresh_from_db()
    answerer.refresh_from_db()
    assert question.accepted_answer.author == answerer
    assert answerer.reputation == 1 + REP["ANSWER_UPVOTED"] + REP["ANSWER_ACCEPTED"]
    # Without JavaScript there is no theme toggle to offer.
    expect(asker_page.locator("#theme-toggle")).to_be_hidden()

    # The header's search box works without JavaScript too, at phone width.
    if not search_url():
        pytest.skip(SEARCH_NOT_WIRED)
    header_search = asker_page.locator("header [role=search]")
    header_search.get_by_role("searchbox").fill("DNS nameservers")
    header_search.get_by_role("button").click()
    expect(asker_page.locator("h1")).to_have_text("Search")
    expect(asker_page.locator(".search-result").filter(has_text=TITLE)).to_have_count(1)
