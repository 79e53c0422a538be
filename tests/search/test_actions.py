"""What search records for staff reports: zero-result searches and deflection visits."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from search import actions
from search.models import Deflection, SearchOrigin, ZeroResultSearch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_zero_result_search_is_recorded():
    record = actions.record_zero_results(AnonymousUser(), "Wifi  KEEPS dropping", origin="api")

    assert (record.query, record.normalized, record.count, record.origin) == (
        "Wifi KEEPS dropping",
        "wifi keeps dropping",
        1,
        SearchOrigin.API,
    )
    assert record.day == timezone.localdate()


def test_the_same_normalised_search_adds_to_the_days_row_per_origin():
    actions.record_zero_results(AnonymousUser(), "Wifi keeps dropping", origin="api")
    actions.record_zero_results(UserFactory(), "  wifi KEEPS   dropping ", origin="api")
    actions.record_zero_results(AnonymousUser(), "wifi keeps dropping", origin="page")

    rows = ZeroResultSearch.objects.order_by("origin").values_list("origin", "count", "query")
    assert list(rows) == [("api", 2, "Wifi keeps dropping"), ("page", 1, "wifi keeps dropping")]


def test_another_day_is_another_row():
    record = actions.record_zero_results(AnonymousUser(), "wifi", origin="page")
    ZeroResultSearch.objects.filter(pk=record.pk).update(day=record.day - timedelta(days=1))

    actions.record_zero_results(AnonymousUser(), "wifi", origin="page")

    assert sorted(ZeroResultSearch.objects.values_list("count", flat=True)) == [1, 1]


def test_a_visit_that_ends_in_a_question_is_not_a_deflection():
    visit = actions.record_suggestions_shown(UserFactory(), None, title="Wifi", keys=["question:1"])
    actions.record_suggestion_click(visit.user, visit.token, "question:1")

    actions.record_question_asked(visit.token, 42)
    actions.record_question_asked(visit.token, 43)

    visit.refresh_from_db()
    assert (visit.asked_question_id, visit.deflected) == (42, False)


def test_suggestions_after_asking_start_a_new_visit():
    member = UserFactory()
    first = actions.record_suggestions_shown(member, None, title="Wifi", keys=[])
    actions.record_question_asked(first.token, 42)

    second = actions.record_suggestions_shown(member, first.token, title="Printer", keys=[])

    assert second.pk != first.pk
    assert Deflection.objects.count() == 2


def test_an_unknown_token_records_nothing():
    assert actions.record_suggestion_click(UserFactory(), "nope", "question:1") is None
    assert actions.record_question_asked(None, 42) is None
