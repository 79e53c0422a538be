"""The Wagtail admin's webhook views: every save goes through webhooks.actions; the
endpoint's page shows its secret, its delivery log and the "Send test" button."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.views import generic

from core.errors import DomainError
from webhooks import actions, permissions, queries
from webhooks.models import Endpoint

URL_NAMESPACE = "webhook_endpoints"


class _RefusalsAsFormErrors:
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error.message))
            return self.form_invalid(form)


class EndpointIndexView(generic.IndexView):
    def get_base_queryset(self):
        return queries.endpoints_with_counts()


class EndpointCreateView(_RefusalsAsFormErrors, generic.CreateView):
    def save_instance(self) -> Endpoint:
        data = self.form.cleaned_data
        return actions.register_endpoint(
            self.request.user,
            name=data["name"],
            url=data["url"],
            event_types=data["event_types"],
            is_active=data["is_active"],
        )

    def get_success_url(self) -> str:
        # The new endpoint's page shows the secret the receiver needs.
        return reverse(f"{URL_NAMESPACE}:inspect", args=[self.object.pk])


class EndpointEditView(_RefusalsAsFormErrors, generic.EditView):
    def save_instance(self) -> Endpoint:
        data = self.form.cleaned_data
        return actions.change_endpoint(
            self.request.user,
            self.object,
            name=data["name"],
            url=data["url"],
            event_types=data["event_types"],
            is_active=data["is_active"],
            new_secret_now=data.get("new_secret", False),
        )


class EndpointDeleteView(generic.DeleteView):
    def delete_action(self) -> None:
        actions.remove_endpoint(self.request.user, self.object)


class EndpointInspectView(generic.InspectView):
    template_name = "webhooks/admin/endpoint.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["endpoint"] = self.object
        context["deliveries"] = queries.delivery_log(self.object)
        context["can_manage"] = permissions.can_manage_webhooks(self.request.user)
        return context


@require_POST
def send_test_view(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    if not permissions.can_manage_webhooks(request.user):
        raise PermissionDenied
    try:
        actions.send_test(request.user, endpoint)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("A test delivery was queued; its result is in the log."))
    return redirect(f"{URL_NAMESPACE}:inspect", endpoint.pk)
