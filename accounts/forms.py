"""Parse and validate the account settings forms. Forms never save: views pass
`cleaned_data` to accounts/actions.py, and each form's clean method runs the same
`actions.clean_*` rule the write does, so a bad input is a form error, never a 500."""

from collections.abc import Callable

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts import actions
from accounts.avatars import ACCEPTED_FORMATS
from accounts.models import BIO_MAX
from core.errors import InvalidInput
from core.forms import HoneypotMixin


def _using(rule: Callable, value):
    try:
        return rule(value)
    except InvalidInput as error:
        raise forms.ValidationError(str(error.message), code=error.code) from error


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SignupForm(HoneypotMixin, AllauthSignupForm):
    """allauth's sign-up form with the site's honeypot (ACCOUNT_FORMS["signup"]); a
    filled-in honeypot is a form error and no account is made."""


class ProfileForm(_Form):
    display_name = forms.CharField(
        label=_("Display name"),
        required=False,
        help_text=_("Shown on your posts and profile. Leave blank to use your username."),
        widget=forms.TextInput(
            attrs={"maxlength": actions.DISPLAY_NAME_MAX, "autocomplete": "nickname"}
        ),
    )
    bio = forms.CharField(
        label=_("About me"),
        required=False,
        help_text=_("A line or two for your public profile. Plain text."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": BIO_MAX}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("Applied when you log in. “Browser default” follows your browser."),
    )
    avatar = forms.FileField(
        label=_("Upload a picture"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 2 MB. We crop it to a square."),
        widget=forms.FileInput(
            attrs={"accept": ",".join(f"image/{kind.lower()}" for kind in ACCEPTED_FORMATS)}
        ),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my picture"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Browser default")), *settings.LANGUAGES]

    def clean_display_name(self) -> str:
        return _using(actions.clean_display_name, self.cleaned_data["display_name"])

    def clean_bio(self) -> str:
        return _using(actions.clean_bio, self.cleaned_data["bio"])

    def clean_language(self) -> str:
        return _using(actions.clean_language, self.cleaned_data["language"])


class DeleteAccountForm(_Form):
    """Confirms a deletion: the password, or for a member who signs in only through a
    provider (no usable password), their username typed out."""

    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    username = forms.CharField(label=_("Your username"), required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        if member.has_usable_password():
            del self.fields["username"]
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            self.fields["username"].required = True

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if username != self.member.username:
            raise forms.ValidationError(
                _("Type your username exactly as shown."), code="wrong_username"
            )
        return username
