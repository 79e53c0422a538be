"""Typo tolerance: the vocabulary, corrections, "did you mean" and the zero-result page."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from forum.models import Question, Visibility
from search import spelling, vocabulary
from search.models import SearchTerm
from search.queries import FEW_RESULTS, search
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.search.conftest import index

pytestmark = pytest.mark.django_db

API = "/api/v1"


def thread(title, body="Open the settings page and follow the steps there.", **kwargs):
    question = QuestionFactory(title=title, body=body, **kwargs)
    index(question)
    return question


@pytest.fixture
def forum():
    thread("How do I reset my password?", body="I forgot the password of my account.")
    thread("Password reset email never arrives", body="The password email is not there.")
    thread("Cara mengganti kata sandi akun", body="Bagaimana cara mengganti kata sandi saya?")


def test_a_missing_letter_is_corrected_to_the_indexed_word(forum):
    assert spelling.corrections("pasword")[0].query == "password"


def test_a_dropped_vowel_is_corrected_too(forum):
    assert spelling.corrections("passwrd reset")[0].query == "password reset"


def test_an_indonesian_word_is_corrected(forum):
    assert spelling.corrections("mengganti sandy")[0].query == "mengganti sandi"


def test_known_words_are_not_corrected(forum):
    assert spelling.corrections("password reset") == []


def test_a_search_that_finds_nothing_shows_the_corrections_results(forum):
    results = search("pasword")

    assert results.corrected_from == "pasword"
    assert results.query == "password"
    assert results.total == 2


def test_an_exact_search_is_not_corrected(forum):
    results = search("pasword", exact=True)

    assert (results.total, results.corrected_from) == (0, None)


def test_a_few_results_get_a_did_you_mean_when_the_correction_finds_many_more():
    for n in range(6):
        thread(f"Printer offline again, case {n}", body="The printer shows offline.")
    thread("Priter error", body="Priter says error.")  # one thread with the typo

    results = search("priter")

    assert results.total == 1
    assert results.did_you_mean == "printer"


def test_the_vocabulary_follows_a_question_that_becomes_hidden():
    question = thread("Kubernetes cluster upgrade fails")
    assert SearchTerm.objects.get(term="kubernetes").documents == 1

    Question.objects.filter(pk=question.pk).update(visibility=Visibility.HIDDEN)
    index(question)

    assert SearchTerm.objects.get(term="kubernetes").documents == 0
    assert search("kubernetis").corrected_from is None


@pytest.mark.parametrize("kind", ["private", "held", "hidden"])
def test_a_correction_never_reveals_a_word_only_a_non_public_post_uses(kind):
    thread("Printer offline again")
    if kind == "private":
        secret = QuestionFactory(title="Kubernetes secret rotation", is_private=True)
    else:
        secret = QuestionFactory(title="Kubernetes secret rotation", visibility=kind)
    index(secret)
    # An answer held for review on a public thread keeps its words out too.
    public = thread("Cluster upgrade question")
    AnswerFactory(question=public, body="Try zookeeperish tuning", visibility=Visibility.HELD)
    index(public)

    assert not SearchTerm.objects.filter(term__in=["kubernetes", "zookeeperish"]).exists()
    assert spelling.corrections("kubernetis") == []
    assert search("zookeperish").corrected_from is None


def test_a_stale_vocabulary_still_offers_no_correction_without_visible_results():
    question = thread("Kubernetes cluster upgrade fails")
    # The question goes private but search has not heard yet: the word is still counted.
    Question.objects.filter(pk=question.pk).update(is_private=True)

    results = search("kubernetis")

    assert results.total == 0 and results.corrected_from is None


def test_reindex_rebuilds_the_vocabulary(forum):
    SearchTerm.objects.all().delete()

    call_command("search_reindex", stdout=__import__("io").StringIO())

    assert SearchTerm.objects.get(term="password").documents == 2
    assert spelling.corrections("pasword")[0].query == "password"


def test_a_rebuilt_vocabulary_leaves_postgresql_statistics_of_its_rows(forum):
    """Without them the planner kept the empty tables' statistics and scanned every key
    for a search's corrections (100 to 133 ms at 100,000 threads; search.vocabulary.analyze)."""
    from django.db import connection

    from search.vocabulary import TermKey

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's planner takes the key index without statistics")

    def estimated(model) -> float:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table]
            )
            return cursor.fetchone()[0]

    call_command("search_reindex", stdout=__import__("io").StringIO())

    assert estimated(SearchTerm) == SearchTerm.objects.count() > 0
    assert estimated(TermKey) == TermKey.objects.count() > 0


def test_damerau_counts_a_swap_as_one_edit():
    assert vocabulary.damerau("pasword", "password") == 1
    assert vocabulary.damerau("modme", "modem") == 1
    assert vocabulary.damerau("abc", "xyz", 2) == 3


def test_the_zero_result_page_shows_the_correction_and_the_ask_links(client, forum):
    client.force_login(UserFactory())

    response = client.get(reverse("search:search"), {"q": "pasword"})

    assert "Showing results for <strong>password</strong>" in response.text
    assert "?q=pasword&amp;exact=1" in response.text
    ask = reverse("forum:ask")
    assert f'href="{ask}?title=pasword"' in response.text  # ask the community
    assert f'href="{ask}?title=pasword&amp;private=1"' in response.text  # ask staff


def test_the_page_without_any_correction_offers_asking(client, forum):
    response = client.get(reverse("search:search"), {"q": "zebra xylophone"})

    assert "Nothing matched" in response.text
    assert "Ask staff" in response.text
    assert "Showing results for" not in response.text


def test_the_ask_form_starts_from_the_title_and_privacy_in_its_link(client):
    client.force_login(UserFactory())

    response = client.get(reverse("forum:ask"), {"title": "pasword reset", "private": "1"})

    form = response.context["form"]
    assert form.initial["title"] == "pasword reset"
    assert form.initial["private"] is True


def test_the_api_returns_the_correction_and_honours_exact(client, forum):
    corrected = client.get(f"{API}/search/", {"q": "pasword"}).json()
    exact = client.get(f"{API}/search/", {"q": "pasword", "exact": "true"}).json()

    assert (corrected["query"], corrected["corrected_from"], corrected["total"]) == (
        "password",
        "pasword",
        2,
    )
    assert (exact["total"], exact["corrected_from"], exact["did_you_mean"]) == (0, None, None)


def test_a_search_that_finds_more_than_a_few_looks_up_no_corrections(monkeypatch):
    for n in range(FEW_RESULTS + 1):
        thread(f"Router keeps rebooting, case {n}")
    looked_up = []
    monkeypatch.setattr(spelling, "corrections", lambda query: looked_up.append(query) or [])

    assert search("router").total == FEW_RESULTS + 1
    assert looked_up == []  # nothing a correction could change: no vocabulary query
    assert search("rebooting case 0 pasword").total == FEW_RESULTS + 1
    assert search("modem").total == 0
    assert looked_up == ["modem"]
