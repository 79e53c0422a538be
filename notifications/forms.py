from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    follow_on_participate = forms.BooleanField(
        label=_("Follow questions I answer or comment on"),
        help_text=_("You always follow the questions you ask."),
        required=False,
    )
