"""Form pieces every app's public forms share.

`HoneypotMixin` adds one field people never see and bots fill in: a text input pushed
off-screen by the theme's `.hp` class (no inline style, so the strict CSP holds), hidden
from assistive technology (aria-hidden), out of the tab order (tabindex -1) and with
autocomplete off, so neither a person nor their browser fills it. A filled-in honeypot
makes the whole form invalid with a generic message, so nothing is saved and the bot
learns nothing about why. Mix it in first: `class AnswerForm(HoneypotMixin, forms.Form)`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"
REFUSED = _("Your message could not be sent. Please try again.")


class HoneypotInput(forms.TextInput):
    template_name = "core/honeypot.html"

    def __init__(self, attrs=None):
        base = {"class": "hp-input", "tabindex": "-1", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})})


class HoneypotMixin:
    """One hidden field; filled in means refused (the form's non-field error)."""

    honeypot_refused = REFUSED

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label="", required=False, strip=False, widget=HoneypotInput()
        )

    def clean(self):
        cleaned = super().clean()
        # Not for the view: views pass cleaned_data on to their action as keywords.
        self.cleaned_data.pop(HONEYPOT_FIELD, None)
        if (self.data.get(self.add_prefix(HONEYPOT_FIELD)) or "") != "":
            raise forms.ValidationError(self.honeypot_refused, code="honeypot")
        return cleaned
