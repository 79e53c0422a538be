from django import forms
from django.utils.translation import gettext_lazy as _

from kb.actions import COMMENT_MAX


class HelpfulnessForm(forms.Form):
    """Parses "Was this helpful?": the button pressed and an optional comment. Never saves."""

    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Anything we should add or fix? (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
    )
