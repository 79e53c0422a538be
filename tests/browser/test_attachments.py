"""Asking with a screenshot in real Chromium: with JavaScript (the file button and a drop,
previews and descriptions) and without it (the plain file input), on a desktop and at
360 px, in English and in Bahasa Indonesia (the browser asking for it); the pages pass axe
and break no Content-Security-Policy rule."""

import pytest
from django.utils import translation

from forum import actions
from forum.models import Attachment, Question
from tests.browser.conftest import (
    DESKTOP,
    NARROW,
    log_in,
    serious_violations,
    skip_module_unless_ready,
)
from tests.browser.pages import tr
from tests.factories import CategoryFactory, QuestionFactory, UserFactory
from tests.forum.images import image_bytes, png

skip_module_unless_ready(axe=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Why does my router show a red light?"
# The browser's language (Accept-Language): the forum's pages have one address for both.
BROWSER_LOCALES = {"en": "en-GB", "id": "id-ID"}
LANGUAGES = pytest.mark.parametrize("language", list(BROWSER_LOCALES))
BODY = "It started after the storm yesterday; the screenshot shows the status page."


def _screenshot_file(name: str = "router.png") -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": image_bytes("PNG", size=(640, 400))}


def _fill_question(page, category) -> None:
    page.goto("/questions/ask/")
    page.fill("#id_title", TITLE)
    page.fill("#id_body", BODY)
    page.select_option("#id_category", str(category.pk))


def _image_loaded(page) -> bool:
    image = page.locator(".post-images img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('.post-images img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    return True


DROP = """
([name, bytes]) => {
  const transfer = new DataTransfer();
  transfer.items.add(new File([new Uint8Array(bytes)], name, { type: "image/png" }));
  return transfer;
}
"""


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "360px"])
@LANGUAGES
def test_a_member_asks_with_screenshots_chosen_and_dropped(
    new_context, live_server, viewport, language
):
    category = CategoryFactory()
    context = new_context(viewport=viewport, locale=BROWSER_LOCALES[language])
    log_in(context, UserFactory(), live_server)
    page = context.new_page()
    _fill_question(page, category)
    assert page.locator("html").get_attribute("lang") == language

    page.set_input_files("#id_images", files=[_screenshot_file()])
    field = page.locator("[data-images]")
    transfer = page.evaluate_handle(DROP, ["dropped.png", list(image_bytes("PNG"))])
    field.dispatch_event("drop", {"dataTransfer": transfer})

    previews = page.locator(".images-previews__item")
    assert previews.count() == 2
    description = page.get_by_label(tr(language, "Description of image %(number)d") % {"number": 1})
    assert description.get_attribute("placeholder") == (
        tr(language, "Screenshot %(number)d") % {"number": 1}
    )
    description.fill("Router status page")
    assert page.evaluate("() => document.querySelector('#id_images').files.length") == 2
    assert serious_violations(page) == []
    page.get_by_role("button", name=tr(language, "Post your question")).click()

    page.wait_for_url("**/questions/*/*/")
    question = Question.objects.get()
    with translation.override(language):
        assert [a.alt_text for a in question.attachments.all()] == [
            "Router status page",
            tr(language, "Screenshot %(number)d") % {"number": 2},
        ]
    assert page.get_by_role("link", name="Router status page").count() == 1
    assert _image_loaded(page)
    assert serious_violations(page) == []


def test_a_preview_can_be_removed_before_posting(new_context, live_server):
    category = CategoryFactory()
    context = new_context(viewport=NARROW)
    log_in(context, UserFactory(), live_server)
    page = context.new_page()
    _fill_question(page, category)
    page.set_input_files("#id_images", files=[_screenshot_file("a.png"), _screenshot_file("b.png")])

    page.get_by_role("button", name="Remove Screenshot 1").click()
    page.get_by_role("button", name="Post your question").click()

    page.wait_for_url("**/questions/*/*/")
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "360px"])
@LANGUAGES
def test_a_member_asks_with_a_screenshot_with_javascript_off(
    new_context, live_server, viewport, language
):
    category = CategoryFactory()
    context = new_context(
        viewport=viewport, java_script_enabled=False, locale=BROWSER_LOCALES[language]
    )
    log_in(context, UserFactory(), live_server)
    page = context.new_page()
    _fill_question(page, category)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("[data-images-drop]").is_hidden()

    page.set_input_files("#id_images", files=[_screenshot_file()])
    page.get_by_role("button", name=tr(language, "Post your question")).click()

    page.wait_for_url("**/questions/*/*/")
    assert Question.objects.get().attachments.count() == 1
    screenshot_1 = tr(language, "Screenshot %(number)d") % {"number": 1}
    assert page.get_by_role("link", name=screenshot_1).count() == 1
    assert _image_loaded(page)
    assert serious_violations(page) == []


def test_a_refused_file_is_explained_on_the_form(new_context, live_server):
    category = CategoryFactory()
    context = new_context(viewport=DESKTOP, java_script_enabled=False)
    log_in(context, UserFactory(), live_server)
    page = context.new_page()
    _fill_question(page, category)

    page.set_input_files(
        "#id_images",
        files=[{"name": "x.png", "mimeType": "image/png", "buffer": b"<html><script>1</script>"}],
    )
    page.get_by_role("button", name="Post your question").click()

    assert page.locator("#id_images_errors").inner_text() == (
        "Attach PNG, JPEG, WebP or GIF images only."
    )
    assert not Question.objects.exists()


def test_an_answer_with_a_screenshot_goes_through_htmx(new_context, live_server):
    question = QuestionFactory()
    context = new_context(viewport=NARROW)
    log_in(context, UserFactory(), live_server)
    page = context.new_page()
    page.goto(question.get_absolute_url())

    page.fill("#id_body", "Unplug it for thirty seconds; the light in my screenshot is green.")
    page.set_input_files("#id_images", files=[_screenshot_file("fixed.png")])
    page.get_by_label("Description of image 1").fill("Green light")
    page.get_by_role("button", name="Post your answer").click()

    page.get_by_role("link", name="Green light").wait_for()
    assert Attachment.objects.get().answer.question_id == question.pk
    assert _image_loaded(page)
    assert serious_violations(page) == []


def test_the_edit_pages_image_form_passes_axe_and_saves_a_description(new_context, live_server):
    member = UserFactory()
    question = actions.ask_question(
        member, title=TITLE, body=BODY, category=CategoryFactory(), images=[png()]
    )
    context = new_context(viewport=NARROW)
    log_in(context, member, live_server)
    page = context.new_page()
    page.goto(f"/questions/{question.pk}/edit/")
    assert serious_violations(page) == []

    page.get_by_label("Description of image 1").fill("Modem lights")
    page.get_by_role("button", name="Save images").click()

    page.wait_for_url(f"**/questions/{question.pk}/edit/")
    assert question.attachments.get().alt == "Modem lights"
