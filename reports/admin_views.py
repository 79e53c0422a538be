"""The staff reports in the Wagtail admin (Reports menu, wagtail_hooks.py): how fast
customers get answers, how much the ask form and the knowledge base deflect, and who
helps. docs/reports.md says what each figure means."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from reports import charts, permissions, queries
from reports.forms import PeriodForm
from reports.tables import Table, as_csv, count, minutes, percent


class _Report(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/admin/report.html"
    header_icon = "table"
    slug = ""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_read_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.form = PeriodForm(request.GET or None)
        self.period = self.form.period()
        tables = self.tables()
        if request.GET.get("format") == "csv":
            response = HttpResponse(as_csv(tables), content_type="text/csv; charset=utf-8")
            stamp = timezone.localdate().isoformat()
            response["Content-Disposition"] = f'attachment; filename="{self.slug}-{stamp}.csv"'
            return response
        context = self.get_context_data(form=self.form, tables=tables, charts=self.charts())
        query = request.GET.copy()
        query["format"] = "csv"
        context["csv_query"] = query.urlencode()
        context["period_end"] = self.period.end - timedelta(days=1)
        return self.render_to_response(context)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def tables(self) -> list[Table]:
        raise NotImplementedError

    def charts(self) -> list[charts.Chart]:
        return []


def _bucket_row(bucket: queries.Bucket) -> list[str]:
    return [
        bucket.label,
        count(bucket.asked),
        minutes(bucket.median_first_answer),
        minutes(bucket.p90_first_answer),
        minutes(bucket.median_solution),
        minutes(bucket.p90_solution),
        percent(bucket.solved_rate),
        percent(bucket.staff_share),
    ]


class ResponsivenessReport(_Report):
    page_title = gettext_lazy("Responsiveness")
    slug = "responsiveness"

    def get(self, request, *args, **kwargs):
        self.figures = None
        return super().get(request, *args, **kwargs)

    def _figures(self) -> queries.Responsiveness:
        if self.figures is None:
            self.figures = queries.responsiveness(self.period)
        return self.figures

    def tables(self):
        figures = self._figures()
        headers = [
            "",
            _("Asked"),
            _("First answer, median"),
            _("First answer, 90th percentile"),
            _("Accepted solution, median"),
            _("Accepted solution, 90th percentile"),
            _("Solved rate"),
            _("First answered by staff"),
        ]
        total = figures.total
        total.label = _("Whole period")
        overdue = queries.unanswered_past_target(self.period)
        target = minutes(queries.response_target().total_seconds() / 60)
        now = timezone.now()
        return [
            Table(
                "overdue",
                _("Unanswered past the target (%(target)s), oldest first") % {"target": target},
                [_("Question"), _("Category"), _("Asked"), _("Waiting")],
                [
                    [
                        q.title,
                        q.category.title,
                        timezone.localtime(q.created_at).strftime("%Y-%m-%d %H:%M"),
                        minutes((now - q.created_at).total_seconds() / 60),
                    ]
                    for q in overdue
                ],
                empty=_("No open question is waiting past the target."),
            ),
            self._escalations(now),
            Table("total", _("Over the period"), [_("Period"), *headers[1:]], [_bucket_row(total)]),
            Table(
                "weeks",
                _("Per week (questions asked that week)"),
                [_("Week of"), *headers[1:]],
                [_bucket_row(bucket) for _week, bucket in figures.weeks],
                empty=_("No questions in this period."),
            ),
            Table(
                "categories",
                _("Per category"),
                [_("Category"), *headers[1:]],
                [_bucket_row(bucket) for bucket in figures.categories],
                empty=_("No questions in this period."),
            ),
        ]

    def _escalations(self, now) -> Table:
        counts = queries.escalations_open_and_overdue(self.period, now=now)
        return Table(
            "escalations",
            _("Escalations to staff, now"),
            [_("Open or waiting"), _("Overdue")],
            [[str(counts.open), str(counts.overdue)]],
        )

    def charts(self):
        weeks = self._figures().weeks
        return [
            charts.bar_chart(
                "chart-first-answer",
                _("Median time to first answer, per week"),
                [(week.isoformat(), bucket.median_first_answer) for week, bucket in weeks],
                minutes,
            ),
            charts.bar_chart(
                "chart-solved",
                _("Solved rate, per week"),
                [(week.isoformat(), bucket.solved_rate) for week, bucket in weeks],
                percent,
            ),
        ]


class SelfServiceReport(_Report):
    page_title = gettext_lazy("Self-service")
    slug = "self-service"

    def tables(self):
        total, weeks = queries.deflection(self.period)
        total.label = _("Whole period")
        headers = [
            _("Shown suggestions"),
            _("Clicked one"),
            _("Asked anyway"),
            _("Deflected"),
            _("Deflection rate"),
        ]

        def row(r):
            return [
                r.label,
                count(r.shown),
                count(r.clicked),
                count(r.asked_anyway),
                count(r.deflected),
                percent(r.deflection_rate),
            ]

        self.weeks = weeks
        return [
            Table(
                "deflection",
                _("Ask-form suggestions (deflected: clicked a suggestion and did not ask)"),
                [_("Week of"), *headers],
                [row(total), *(row(r) for _w, r in weeks)],
            ),
            Table(
                "zero-results",
                _("Searches that found nothing, most frequent first"),
                [_("Search"), _("Times"), _("Last seen")],
                [
                    [
                        r["example"],
                        count(r["times"]),
                        timezone.localtime(r["last_seen"]).strftime("%Y-%m-%d"),
                    ]
                    for r in queries.zero_result_searches(self.period)
                ],
                empty=_("No search came back empty in this period."),
            ),
            Table(
                "helpfulness",
                _("Knowledge-base helpfulness, least helpful first"),
                [_("Article"), _("Helpful"), _("Not helpful"), _("Helpful share")],
                [
                    [r["article__title"], count(r["yes"]), count(r["no"]), percent(r["rate"])]
                    for r in queries.kb_helpfulness(self.period)
                ],
                empty=_("No helpfulness votes in this period."),
            ),
        ]

    def charts(self):
        return [
            charts.bar_chart(
                "chart-deflection",
                _("Deflection rate, per week"),
                [(week.isoformat(), r.deflection_rate) for week, r in self.weeks],
                percent,
            )
        ]


class CommunityReport(_Report):
    page_title = gettext_lazy("Community")
    slug = "community"

    def tables(self):
        return [
            Table(
                "helpers",
                _("Top helpers: answers accepted and reputation gained in the period"),
                [_("Member"), _("Answers accepted"), _("Reputation gained")],
                [
                    [r["username"], count(r["accepted"]), count(r["reputation"])]
                    for r in queries.top_helpers(self.period)
                ],
                empty=_("Nobody earned anything in this period."),
            ),
            self.moderation_table(),
        ]

    def moderation_table(self) -> Table:
        volume = queries.moderation_volume(self.period)
        rows = [
            [_("Flags raised"), count(volume.flags_raised)],
            [_("Posts held for approval"), count(volume.held_posts)],
            [_("Reviews closed"), count(volume.reviews_closed)],
            [_("Reviews still open"), count(volume.still_open)],
            [_("Time to resolve a flag, median"), minutes(volume.median_resolve_minutes)],
            [_("Time to resolve a flag, 90th percentile"), minutes(volume.p90_resolve_minutes)],
        ]
        rows += [
            [_("Closed as: %(outcome)s") % {"outcome": label}, count(n)]
            for label, n in sorted(volume.outcomes.items())
        ]
        return Table(
            "moderation",
            _("Moderation: flags, reviews and time to resolve a flag"),
            [_("Figure"), _("Value")],
            rows,
            empty=_("No flags or reviews in this period."),
        )
