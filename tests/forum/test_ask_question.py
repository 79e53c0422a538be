import pytest
from django.contrib.auth.models import AnonymousUser
from taggit.models import Tag

from forum.actions import ask_question, clean_tags
from forum.errors import InvalidInput, NotSignedIn
from forum.models import CategoryPage, Question, Revision
from tests.factories import CategoryFactory, QuestionFactory, UserFactory, community_index

pytestmark = pytest.mark.django_db

TITLE = "How do I reset my router?"
BODY = "I pressed the button on the back and nothing happened."


def ask(actor=None, **overrides):
    fields = {"title": TITLE, "body": BODY, "category": CategoryFactory(), "tags": ()}
    fields.update(overrides)
    return ask_question(actor or UserFactory(), **fields)


def test_a_member_asks_a_question_in_a_category_with_tags():
    asker, category = UserFactory(), CategoryFactory()

    question = ask(asker, category=category, tags=["router", "wifi"])

    question.refresh_from_db()
    assert (question.title, question.body, question.author, question.category) == (
        TITLE,
        BODY,
        asker,
        category,
    )
    assert sorted(question.tags.names()) == ["router", "wifi"]


def test_asking_renders_the_body_as_markdown():
    question = ask(body="Pressing **reset** did nothing at all.")

    assert "<strong>reset</strong>" in question.body_html


def test_asking_records_revision_one_with_the_full_source():
    asker = UserFactory()

    question = ask(asker, tags="router wifi")

    revision = Revision.objects.get(question=question)
    assert (revision.number, revision.editor, revision.title, revision.body, revision.tags) == (
        1,
        asker,
        TITLE,
        BODY,
        "router wifi",
    )


def test_a_title_shorter_than_15_characters_is_refused_on_the_title_field():
    with pytest.raises(InvalidInput) as refused:
        ask(title="x" * 14)

    assert refused.value.field == "title"


def test_a_title_longer_than_150_characters_is_refused_on_the_title_field():
    with pytest.raises(InvalidInput) as refused:
        ask(title="x" * 151)

    assert refused.value.field == "title"


@pytest.mark.parametrize("length", [15, 150])
def test_titles_of_15_and_150_characters_are_accepted(length):
    question = ask(title="x" * length)

    assert len(question.title) == length


def test_whitespace_in_a_title_is_collapsed_before_it_is_measured():
    with pytest.raises(InvalidInput) as refused:
        ask(title="  short     title  ")

    assert refused.value.field == "title"


def test_a_body_shorter_than_20_characters_is_refused_on_the_body_field():
    with pytest.raises(InvalidInput) as refused:
        ask(body="x" * 19)

    assert refused.value.field == "body"


def test_a_body_longer_than_30000_characters_is_refused_on_the_body_field():
    with pytest.raises(InvalidInput) as refused:
        ask(body="x" * 30_001)

    assert refused.value.field == "body"


@pytest.mark.parametrize("length", [20, 30_000])
def test_bodies_of_20_and_30000_characters_are_accepted(length):
    question = ask(body="x" * length)

    assert len(question.body) == length


def test_surrounding_whitespace_does_not_count_towards_the_body_minimum():
    with pytest.raises(InvalidInput):
        ask(body="   " + "x" * 19 + "\n\n\n")


def test_more_than_five_tags_are_refused_on_the_tags_field():
    with pytest.raises(InvalidInput) as refused:
        ask(tags=["one", "two", "three", "four", "five", "six"])

    assert refused.value.field == "tags"


def test_five_tags_are_accepted():
    question = ask(tags=["one", "two", "three", "four", "five"])

    assert question.tags.count() == 5


def test_tags_are_lower_cased_stripped_of_a_hash_and_deduplicated():
    assert clean_tags(["Router", "#wifi", "router", "WiFi"]) == ["router", "wifi"]


def test_plus_and_sharp_in_a_tag_keep_tags_apart():
    assert clean_tags(["C++", "c#", "C", "#notepad++"]) == [
        "cplusplus",
        "csharp",
        "c",
        "notepadplusplus",
    ]


def test_tags_may_be_a_comma_or_space_separated_string():
    assert clean_tags("billing, invoices  refunds,,") == ["billing", "invoices", "refunds"]


def test_repeated_tags_count_once_towards_the_limit_of_five():
    question = ask(tags="one two three four five ONE Two #three")

    assert question.tags.count() == 5


def test_a_tag_longer_than_35_characters_is_refused_on_the_tags_field():
    with pytest.raises(InvalidInput) as refused:
        ask(tags=["x" * 36])

    assert refused.value.field == "tags"


def test_a_question_without_a_category_is_refused_on_the_category_field():
    with pytest.raises(InvalidInput) as refused:
        ask(category=None)

    assert refused.value.field == "category"


def test_a_page_that_is_not_a_category_is_refused():
    with pytest.raises(InvalidInput) as refused:
        ask(category=community_index())

    assert refused.value.field == "category"


def test_an_unpublished_category_is_refused():
    category = CategoryFactory()
    category.unpublish()

    with pytest.raises(InvalidInput) as refused:
        ask(category=category)

    assert refused.value.field == "category"


def test_a_category_unpublished_after_it_was_loaded_is_refused():
    category = CategoryFactory()
    CategoryPage.objects.get(pk=category.pk).unpublish()

    with pytest.raises(InvalidInput) as refused:
        ask(category=category)

    assert refused.value.field == "category"


def test_a_category_that_was_never_saved_is_refused():
    with pytest.raises(InvalidInput) as refused:
        ask(category=CategoryPage(title="Nowhere", slug="nowhere"))

    assert refused.value.field == "category"


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "too short"},
        {"body": "too short"},
        {"tags": "a b c d e f"},
        {"tags": "fine " + "x" * 40},
        {"category": None},
    ],
    ids=["title", "body", "too-many-tags", "bad-tag", "category"],
)
def test_a_refused_question_leaves_nothing_behind(overrides):
    tags_before = Tag.objects.count()

    with pytest.raises(InvalidInput):
        ask(**overrides)

    assert Question.objects.count() == 0
    assert Revision.objects.count() == 0
    assert Tag.objects.count() == tags_before


def test_a_visitor_who_is_not_signed_in_cannot_ask():
    with pytest.raises(NotSignedIn):
        ask(AnonymousUser())


def test_a_deactivated_member_cannot_ask():
    with pytest.raises(NotSignedIn):
        ask(UserFactory(is_active=False))


def test_a_title_that_slugifies_to_an_action_word_gets_a_distinct_slug():
    question = QuestionFactory(title="Revisions???????????")

    assert question.slug == "revisions-question"


@pytest.mark.parametrize("field", ["title", "body"])
def test_a_nul_character_is_refused_as_invalid_input(field):
    values = {"title": "How do I pay my invoice?", "body": "Where is the billing page?"}
    values[field] = values[field] + "\x00"

    with pytest.raises(InvalidInput) as refused:
        ask_question(UserFactory(), category=CategoryFactory(), **values)

    assert refused.value.field == field
