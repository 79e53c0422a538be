"""Parse what the support pages send; never save (support/actions.py does)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.queries import live_categories
from support.actions import REASON_MAX
from support.models import Status
from support.queries import UNASSIGNED


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("What do you need from staff?"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REASON_MAX}),
    )


class AssignForm(forms.Form):
    assignee = forms.CharField(required=False)  # a staff member's id, or empty for nobody


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open and waiting")), *Status.choices],
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            (UNASSIGNED, _("Nobody")),
            *[(str(member.pk), member.name) for member in staff],
        ]
        self.fields["category"].choices = [("", _("Every category"))] + [
            (category.pk, category.title) for category in live_categories()
        ]
        self.fields["category"].empty_value = None
