"""The staff reports (docs/reports.md) on a hand-made community whose figures are known:
first answers after exactly 30 and 90 minutes (median 60), two of three questions solved
(a solved rate of exactly 2/3), one first answer by staff (50 %)."""

import csv
import io
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from forum.models import Answer, Question, QuestionState, Visibility
from kb.actions import promote_question, rate_article
from kb.models import ArticlePage
from reports import queries
from search.models import Deflection, ZeroResultSearch
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

RESPONSIVENESS = "/admin/staff-reports/responsiveness/"
SELF_SERVICE = "/admin/staff-reports/self-service/"
COMMUNITY = "/admin/staff-reports/community/"
WEEK = "?start=2026-11-16&end=2026-11-22"


def _local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


ASKED = _local(2026, 11, 17, 9, 0)  # a Tuesday


def _asked(category, **kwargs) -> Question:
    question = QuestionFactory(category=category, **kwargs)
    Question.objects.filter(pk=question.pk).update(created_at=ASKED)
    return question


def _answer(question, minutes, author=None) -> Answer:
    answer = AnswerFactory(question=question, author=author or UserFactory())
    Answer.objects.filter(pk=answer.pk).update(created_at=ASKED + timedelta(minutes=minutes))
    return answer


def _accept(question, answer, minutes) -> None:
    Question.objects.filter(pk=question.pk).update(
        accepted_answer=answer,
        accepted_by=question.author,
        accepted_at=ASKED + timedelta(minutes=minutes),
    )


@pytest.fixture
def community():
    routers, billing = CategoryFactory(title="Routers"), CategoryFactory(title="Billing")
    first = _asked(routers)
    _accept(first, _answer(first, 30), 120)
    _answer(first, 45)  # a later answer is not the first
    second = _asked(routers)
    _accept(second, _answer(second, 90, author=StaffFactory()), 240)
    _asked(billing, title="Why was I charged twice?")  # never answered
    hidden = _asked(billing)
    Question.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)
    return routers, billing


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def test_responsiveness_figures_on_a_known_community(community):
    period = queries.Period(_local(2026, 11, 16), _local(2026, 11, 23))

    figures = queries.responsiveness(period)

    total = figures.total
    assert total.asked == 3  # the hidden question is not counted
    assert total.median_first_answer == 60
    assert total.p90_first_answer == pytest.approx(84)
    assert total.median_solution == 180
    assert total.solved_rate == pytest.approx(2 / 3)
    assert total.staff_share == pytest.approx(1 / 2)
    assert [week.isoformat() for week, _ in figures.weeks] == ["2026-11-16"]
    by_category = {bucket.label: bucket for bucket in figures.categories}
    assert by_category["Routers"].solved_rate == 1
    assert by_category["Billing"].solved_rate == 0
    assert by_category["Billing"].median_first_answer is None


def test_a_category_filter_narrows_every_figure(community):
    routers, _billing = community
    period = queries.Period(_local(2026, 11, 16), _local(2026, 11, 23), routers)

    assert queries.responsiveness(period).total.asked == 2


def test_questions_outside_the_period_are_not_counted(community):
    period = queries.Period(_local(2026, 11, 23), _local(2026, 11, 30))

    assert queries.responsiveness(period).total.asked == 0


def test_unanswered_past_the_target_are_open_public_and_oldest_first(community, settings):
    settings.TANYA_RESPONSE_TARGET_MINUTES = 60
    period = queries.Period(_local(2026, 11, 16), _local(2026, 11, 23))
    older = _asked(community[1], title="Older unanswered")
    Question.objects.filter(pk=older.pk).update(created_at=ASKED - timedelta(days=1))
    closed = _asked(community[1], title="Closed unanswered")
    Question.objects.filter(pk=closed.pk).update(state=QuestionState.CLOSED)
    fresh = QuestionFactory(category=community[1], title="Asked just now")

    titles = [
        q.title for q in queries.unanswered_past_target(period, now=ASKED + timedelta(hours=2))
    ]

    assert titles == ["Older unanswered", "Why was I charged twice?"]
    assert fresh.title not in titles


def test_the_page_shows_the_figures_and_the_csv_equals_the_tables(staff_client, community):
    page = staff_client.get(RESPONSIVENESS + WEEK)
    exported = staff_client.get(RESPONSIVENESS + WEEK + "&format=csv")

    assert page.status_code == 200
    html = page.content.decode()
    assert "60 min" in html and "66.7 %" in html and "50.0 %" in html
    assert exported["Content-Type"].startswith("text/csv")
    assert _tables_in(html) == _tables_in_csv(exported.content.decode())


def test_the_charts_are_described_images(staff_client, community):
    html = staff_client.get(RESPONSIVENESS + WEEK).content.decode()

    assert html.count('role="img"') == 2
    assert '<desc id="chart-first-answer-desc">2026-11-16: 60 min</desc>' in html
    assert '<desc id="chart-solved-desc">2026-11-16: 66.7 %</desc>' in html


def test_self_service_shows_deflection_zero_results_and_helpfulness(
    staff_client,
    editor,
    solved_question,
):
    for clicks, asked in [(0, None), (1, None), (2, 42)]:
        visit = Deflection.objects.create(
            token=f"t{clicks}", title="router", clicks=clicks, asked_question_id=asked
        )
        Deflection.objects.filter(pk=visit.pk).update(first_shown_at=ASKED)
    day = timezone.localdate(ASKED)
    for query, count in [("pasword", 2), ("billing twice", 1)]:
        ZeroResultSearch.objects.create(query=query, normalized=query, origin="page", day=day)
        ZeroResultSearch.objects.filter(query=query).update(count=count)
    # The same query from the API the same day is its own row; the report adds them up.
    ZeroResultSearch.objects.create(
        query="billing twice", normalized="billing twice", origin="api", day=day
    )
    ZeroResultSearch.objects.filter(origin="api").update(count=2)
    article = promote_question(editor, solved_question)
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor)
    article = ArticlePage.objects.get(pk=article.pk)
    rate_article(UserFactory(), article, helpful=False)

    total, _weeks = queries.deflection(queries.Period(_local(2026, 11, 16), _local(2026, 11, 23)))
    page = staff_client.get(SELF_SERVICE + WEEK).content.decode()
    today = timezone.localdate().isoformat()
    helpfulness = staff_client.get(f"{SELF_SERVICE}?start={today}&end={today}").content.decode()

    assert (total.shown, total.clicked, total.asked_anyway, total.deflected) == (3, 2, 1, 1)
    assert total.deflection_rate == pytest.approx(1 / 3)
    assert "33.3 %" in page
    tables = _tables_in(page)
    assert tables["zero-results"][1][:2] == ["billing twice", "3"]
    assert tables["zero-results"][2][:2] == ["pasword", "2"]
    assert _tables_in(helpfulness)["helpfulness"][1][:3] == [article.title, "0", "1"]


def test_community_lists_top_helpers(staff_client, community):
    helper = Answer.objects.filter(created_at=ASKED + timedelta(minutes=30)).get().author

    rows = queries.top_helpers(queries.Period(_local(2026, 11, 16), _local(2026, 11, 23)))

    assert rows[0]["accepted"] == 1
    assert helper.username in [row["username"] for row in rows]
    assert staff_client.get(COMMUNITY + WEEK).status_code == 200


@pytest.mark.parametrize("url", [RESPONSIVENESS, SELF_SERVICE, COMMUNITY])
def test_only_staff_read_the_reports(client, url):
    assert client.get(url).status_code in (302, 403)
    for member in (UserFactory(), ModeratorFactory()):
        client.force_login(member)
        assert client.get(url).status_code in (302, 403)


def test_a_bad_period_is_a_form_error_not_a_500(staff_client):
    response = staff_client.get(RESPONSIVENESS + "?start=2026-11-22&end=2026-11-01")

    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_the_report_costs_the_same_queries_for_more_questions(
    staff_client, community, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        staff_client.get(RESPONSIVENESS + WEEK)
    for _ in range(5):
        _answer(_asked(community[0]), 10)
    with CaptureQueriesContext(connection) as more:
        staff_client.get(RESPONSIVENESS + WEEK)

    assert len(more) == len(few)


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.current = self.tables.setdefault(dict(attrs).get("id"), [])
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def _tables_in(html: str) -> dict:
    """The report's own tables (Wagtail's keyboard-shortcut table has no id)."""
    parser = _Tables()
    parser.feed(html)
    return {ident: rows for ident, rows in parser.tables.items() if ident}


def _tables_in_csv(text: str) -> dict:
    """The CSV's tables keyed like the page's, in the same order."""
    blocks, block = [], []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            blocks.append(block)
            block = []
        else:
            block.append(row)
    blocks.append(block)
    return dict(
        zip(
            ["overdue", "escalations", "total", "weeks", "categories"],
            [b[1:] for b in blocks],
            strict=True,
        )
    )
