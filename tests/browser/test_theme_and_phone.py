"""The light/dark toggle, phone-width layout, keyboard operation and reduced motion."""

import pytest
from django.urls import reverse

from tests.browser.conftest import (
    DESKTOP,
    NARROW,
    expect,
    log_in,
    screenshot,
    skip_module_unless_ready,
)
from tests.browser.pages import build_community, search_url

skip_module_unless_ready()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DARK_BACKGROUND = "rgb(15, 18, 23)"  # --color-bg in the dark theme
LIGHT_BACKGROUND = "rgb(246, 247, 249)"

# Everything a finger presses: at least 44 by 44 CSS pixels. Links inside text (prose,
# hints, the footer sentence) are exempt, as WCAG's target-size rule allows.
# The honeypot (core/forms.py, off-screen and aria-hidden) is no target for people.
TARGETS = (
    "button:visible, .button:visible, select:visible, textarea:visible, summary:visible, "
    "input:not([type=hidden]):not(.hp-input):visible, .site-nav a:visible, .member-chip:visible, "
    ".category-badge:visible, .tabs a:visible"
)


def _background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_the_toggle_switches_to_dark_and_remembers_it_without_a_flash(new_context):
    page = new_context(color_scheme="light").new_page()
    page.goto(reverse("forum:questions"))
    toggle = page.get_by_role("button", name="Dark theme")
    expect(toggle).to_have_attribute("aria-pressed", "false")

    toggle.click()

    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert _background(page) == DARK_BACKGROUND
    assert page.evaluate("localStorage.getItem('theme')") == "dark"
    assert {"theme": "dark"}.items() <= {
        c["name"]: c["value"] for c in page.context.cookies()
    }.items()
    # The next page arrives already dark: the server read the cookie, so the very first
    # paint is right (no light flash before JavaScript runs).
    response = page.goto("/")
    assert 'data-theme="dark"' in response.text()
    screenshot(page, "home-dark")

    # Back to light, which is what this device shows anyway: the choice is forgotten, so
    # the site follows the device again.
    page.get_by_role("button", name="Dark theme").click()
    assert _background(page) == LIGHT_BACKGROUND
    assert page.evaluate("localStorage.getItem('theme')") is None
    assert "theme" not in {c["name"]: c["value"] for c in page.context.cookies() if c["value"]}
    assert 'data-theme="auto"' in page.goto("/").text()


def test_auto_follows_the_device_and_the_toggle_says_so(new_context):
    page = new_context(color_scheme="dark").new_page()
    page.goto("/")

    assert _background(page) == DARK_BACKGROUND
    expect(page.get_by_role("button", name="Dark theme")).to_have_attribute("aria-pressed", "true")


def test_a_choice_kept_only_in_local_storage_applies_before_the_first_paint(new_context):
    context = new_context(color_scheme="light")
    context.add_init_script("localStorage.setItem('theme', 'dark')")
    page = context.new_page()

    response = page.goto("/")

    assert 'data-theme="auto"' in response.text()  # the server knew nothing...
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"  # ...the head did
    assert _background(page) == DARK_BACKGROUND


def test_pages_fit_a_360_pixel_phone_with_44_pixel_targets(new_context, live_server):
    community = build_community()
    context = new_context(viewport=NARROW, has_touch=True, is_mobile=True)
    log_in(context, community.member, live_server)
    page = context.new_page()

    problems = []
    for name, url in community.urls().items():
        if name == "signup":
            continue  # a member is redirected away; the visitor's pass below covers it
        page.goto(url)
        problems += _layout_problems(page, name)
        if name in ("home", "question", "article", "faq"):
            screenshot(page, name)
    if url := search_url("port 443"):  # (test_accessibility says so when it isn't wired)
        page.goto(url)
        problems += _layout_problems(page, "search")
        screenshot(page, "search")
    visitor = new_context(viewport=NARROW, has_touch=True, is_mobile=True).new_page()
    visitor.goto(reverse("account_signup"))
    problems += _layout_problems(visitor, "signup")

    assert not problems, "\n".join(problems)


def _layout_problems(page, name: str) -> list[str]:
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"{name}: scrolls sideways by {overflow}px")
    for target in page.locator(TARGETS).all():
        box = target.bounding_box()
        if box and (box["height"] < 44 or box["width"] < 44):
            label = target.evaluate("e => e.outerHTML.slice(0, 90)")
            problems.append(f"{name}: {box['width']:.0f}x{box['height']:.0f}px {label}")
    return problems


def test_voting_and_accepting_work_from_the_keyboard(new_context, live_server):
    community = build_community()
    voter_context = new_context(viewport=DESKTOP)
    log_in(voter_context, community.asker, live_server)
    page = voter_context.new_page()
    page.goto(community.question.get_absolute_url())

    # The second answer (the member's) is not accepted yet: vote it up with Enter, then
    # take the vote back with Space; focus stays on the button throughout.
    # (by id: accepting moves the solution to the top of the list.)
    other_answer = page.locator("#" + page.locator("#answers article").nth(1).get_attribute("id"))
    up = other_answer.locator(".vote__button--up")
    up.focus()
    page.keyboard.press("Enter")
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(up).to_be_focused()
    page.keyboard.press("Space")
    expect(up).to_have_attribute("aria-pressed", "false")

    # The asker moves the solution to it from the keyboard.
    accept = other_answer.get_by_role("button", name="Accept this answer")
    accept.focus()
    page.keyboard.press("Enter")
    expect(other_answer.locator(".solution")).to_contain_text("Solution")
    expect(other_answer.get_by_role("button", name="Unaccept")).to_be_focused()


def test_the_delete_menu_opens_and_confirms_from_the_keyboard(new_context, live_server):
    community = build_community()
    context = new_context(viewport=DESKTOP)
    log_in(context, community.asker, live_server)
    page = context.new_page()
    page.goto(reverse("forum:ask"))
    page.get_by_label("Title").fill("A question I will delete again in a moment")
    page.get_by_label("Details").fill("Nothing to see here, this is only a test of the menu.")
    page.get_by_label("Category").select_option(label=community.category.title)
    page.get_by_role("button", name="Post your question").click()

    menu = page.locator("#question details.confirm summary")
    menu.focus()
    page.keyboard.press("Enter")
    confirm = page.get_by_role("button", name="Yes, delete this question")
    expect(confirm).to_be_visible()
    page.keyboard.press("Tab")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("deleted")


def test_keyboard_focus_is_visible_and_the_skip_link_appears(new_context):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(reverse("forum:questions"))

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0
    outline = skip.evaluate(
        "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
    )
    assert outline == "solid 3px"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_reduced_motion_turns_transitions_off(new_context):
    page = new_context(reduced_motion="reduce").new_page()
    page.goto("/")

    durations = page.evaluate(
        "[...document.querySelectorAll('.button, .category-card')]"
        ".map(e => getComputedStyle(e).transitionDuration)"
    )

    assert durations and set(durations) == {"0s"}
