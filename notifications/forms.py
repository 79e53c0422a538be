from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import EmailMode, Kind


class PreferencesForm(forms.Form):
    follow_on_participate = forms.BooleanField(
        label=_("Follow questions I answer or comment on"),
        help_text=_("You always follow the questions you ask."),
        required=False,
    )


class EmailModesForm(forms.Form):
    """How each kind of notification arrives by email: one select per kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=EmailMode.choices, required=False
            )
