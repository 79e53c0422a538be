"""Webhook endpoints in the Wagtail admin (Settings → Webhooks), for staff with the
model's permissions: list, register, edit, remove, and each endpoint's page with its
secret, delivery log and "Send test" button (docs/webhooks.md)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, NumberColumn
from wagtail.admin.viewsets.model import ModelViewSet

from webhooks import admin_views
from webhooks.forms import EndpointForm
from webhooks.models import Endpoint


class EndpointViewSet(ModelViewSet):
    model = Endpoint
    name = admin_views.URL_NAMESPACE
    icon = "link-external"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    index_view_class = admin_views.EndpointIndexView
    add_view_class = admin_views.EndpointCreateView
    edit_view_class = admin_views.EndpointEditView
    delete_view_class = admin_views.EndpointDeleteView
    inspect_view_class = admin_views.EndpointInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        "name",
        "url",
        Column(
            "event_types",
            label=_("Event types"),
            accessor=lambda e: ", ".join(e.event_type_labels()),
        ),
        BooleanColumn("is_active", label=_("Active")),
        # What staff must look at: deliveries still being retried, and those given up on.
        NumberColumn("pending_count", label=_("Pending"), accessor="pending_count"),
        NumberColumn("failed_count", label=_("Failed"), accessor="failed_count"),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("event_types"),
            FieldPanel("is_active"),
            FieldPanel("new_secret"),
        ],
        base_form_class=EndpointForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("test/<int:pk>/", admin_views.send_test_view, name="send_test"),
        ]


endpoint_viewset = EndpointViewSet()


@hooks.register("register_admin_viewset")
def register_endpoint_viewset():
    return endpoint_viewset
