"""The admin's endpoint form: parses and validates, never saves (webhooks.actions does)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from webhooks import actions
from webhooks.errors import UnsafeWebhookURL
from webhooks.models import EVENT_TYPES, Endpoint


class EndpointForm(WagtailAdminModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where deliveries are POSTed. HTTPS is strongly recommended."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        choices=list(EVENT_TYPES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each event of a chosen type is POSTed to the URL, signed."),
    )
    new_secret = forms.BooleanField(
        label=_("Generate a new signing secret"),
        required=False,
        help_text=_("The old secret stops working at once: update the receiver too."),
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "event_types", "is_active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if self.instance.pk and url == self.instance.url:
            return url
        try:
            return actions.check_url(url)
        except UnsafeWebhookURL as error:
            raise forms.ValidationError(error.message) from error
