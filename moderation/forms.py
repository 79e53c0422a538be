"""Input for flagging and resolving; the actions validate, these only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.actions import NOTE_MAX
from moderation.models import Outcome, Reason


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"), choices=Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note for the moderators"),
        help_text=_("Needed when you choose “Other”."),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices)
    reason = forms.CharField(required=False, max_length=500)


QUEUE_REASONS = [("", _("All reasons")), *Reason.choices, ("held", _("Held for approval"))]


class QueueFilterForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=QUEUE_REASONS, required=False)
    category = forms.TypedChoiceField(
        label=_("Category"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.pk, c.title) for c in categories
        ]
