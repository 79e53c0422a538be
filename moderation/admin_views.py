"""The audit log in the Wagtail admin (Reports menu; wired in wagtail_hooks.py): every
write through every door, filtered by actor, verb, object, door and date."""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import BooleanRadioSelect

from core.models import Door, Event
from moderation import permissions, queries


class _TemplateColumn(BaseColumn):
    def __init__(self, name, template_name: str, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = template_name


# The apps whose writes record events. Listing their content types (a small, fixed set)
# rather than the distinct types in the events table keeps the filter's cost constant
# however long the log grows.
EVENT_APPS = ("accounts", "forum", "kb", "notifications")


def _subject_types(request=None):
    return ContentType.objects.filter(app_label__in=EVENT_APPS).order_by("app_label", "model")


class AuditLogFilterSet(WagtailFilterSet):
    actor = django_filters.CharFilter(
        label=_("Actor (username)"), field_name="actor__username", lookup_expr="iexact"
    )
    verb = django_filters.MultipleChoiceFilter(
        label=_("Action"), choices=queries.verb_choices, widget=forms.CheckboxSelectMultiple
    )
    subject_type = django_filters.ModelChoiceFilter(
        label=_("Kind of object"), queryset=_subject_types
    )
    subject_id = django_filters.NumberFilter(label=_("Object ID"))
    question_id = django_filters.NumberFilter(label=_("Thread (question ID)"))
    door = django_filters.ChoiceFilter(
        label=_("Door"), choices=Door.choices, empty_label=_("All"), widget=forms.RadioSelect
    )
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    pending = django_filters.BooleanFilter(
        label=_("Reactions still pending"),
        field_name="processed_at",
        lookup_expr="isnull",
        widget=BooleanRadioSelect,
        help_text=_("Events some subscriber has not yet handled: a backend down, or a bug."),
    )

    class Meta:
        model = Event
        fields = []


class AuditLogView(ReportView):
    page_title = _("Audit log")
    header_icon = "history"
    index_url_name = "moderation_admin:audit_log"
    index_results_url_name = "moderation_admin:audit_log_results"
    filterset_class = AuditLogFilterSet
    paginate_by = 50
    columns = [
        DateColumn("created_at", label=_("Time")),
        Column("actor", label=_("Actor"), accessor="actor"),
        Column("door", label=_("Door"), accessor="get_door_display"),
        Column("verb", label=_("Action"), accessor="verb_label"),
        _TemplateColumn("subject", "moderation/admin/subject_cell.html", label=_("Object")),
        _TemplateColumn("details", "moderation/admin/details_cell.html", label=_("Details")),
    ]
    list_export = ["created_at", "actor", "door", "verb", "subject_label", "question_id", "payload"]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.can_read_audit_log(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return queries.audit_log()

    def decorate_paginated_queryset(self, object_list):
        return queries.attach_subjects(list(object_list))


# --- The review queue in the Wagtail admin -------------------------------------------------


def review_queue_view(request: HttpRequest) -> HttpResponse:
    """The site's review queue inside the Wagtail admin (same read, same actions); its
    outcomes post to the admin's resolve URL, so the audit log shows the admin's door."""
    from django.shortcuts import render

    from moderation import views

    if not permissions.can_review(request.user):
        raise PermissionDenied
    context = views.queue_context(request) | {"resolve_url_name": "moderation_admin:resolve"}
    return render(request, "moderation/admin/queue.html", context)
