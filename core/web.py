"""Turning a domain error into a page, so site views stay thin (STYLE.md section 6).

Two kinds of view, two helpers:

- A button (vote, accept, delete, ...) is decorated with `@refusals_shown`. A refused
  action comes back to the page the button was on (`refusals_return_to`) with the
  message flashed; htmx gets the flash fragment retargeted to #flash as a 200, because
  htmx does not swap 4xx responses; a rate limit gets the "slow down" page, 429 with
  Retry-After.
- A form calls its action through `submit`, which attaches a refusal to the form (to its
  field when the error names one), and renders through `render_form`: 400 when the form
  has errors, 429 with Retry-After when the refusal was a rate limit.

Every htmx refusal also carries core.errors.error_body in its HX-Trigger header (event
"tanya:refused"), so a script sees the same code the API would send.
"""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import DomainError, RateLimited, error_body

# The theme renders these; the names predate the kernel, so they sit under forum/.
FLASH_TEMPLATE = "forum/_flash.html"
REFUSED_PAGE_TEMPLATE = "403.html"
RATE_LIMITED_TEMPLATE = "forum/rate_limited.html"


def back_url(request: HttpRequest, default: str) -> str:
    """Where the visitor was: htmx's current URL or the Referer, if it is on this site."""
    for candidate in (request.headers.get("HX-Current-URL"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return default


def with_retry_after(response: HttpResponse, error: DomainError | None) -> HttpResponse:
    """Add Retry-After when `error` is a rate limit."""
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def refusal_fragment(request: HttpRequest, error: DomainError) -> HttpResponse:
    """htmx's answer to a refusal: the flash fragment, aimed at #flash, as a 200."""
    response = render(request, FLASH_TEMPLATE, {"error": error})
    response["HX-Retarget"] = "#flash"
    response["HX-Reswap"] = "innerHTML"
    response["HX-Trigger"] = json.dumps({"tanya:refused": error_body(error)})
    return with_retry_after(response, error)


def refused(request: HttpRequest, error: DomainError, back: str) -> HttpResponse:
    """A button's answer to a refused action: the message on the page at `back`."""
    if request.htmx:
        return refusal_fragment(request, error)
    if getattr(error, "shown_as_page", False):
        return refusal_page(request, error)
    if isinstance(error, RateLimited):
        context = {"error": error, "back": back}
        response = render(request, RATE_LIMITED_TEMPLATE, context, status=429)
        return with_retry_after(response, error)
    # The code rides along as a tag, so the theme can add what the refusal calls for
    # (a link to the privileges page for a reputation refusal).
    messages.error(request, error.message, extra_tags=f"refusal-{error.code}")
    return redirect(back)


def refusal_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A refusal that is about the visitor, not the page (a suspended member writing):
    the error page with the refusal's own status and message."""
    return render(request, REFUSED_PAGE_TEMPLATE, {"error": error}, status=error.status)


def refusals_return_to(request: HttpRequest, url: str) -> None:
    """Name the page a refused action in this `@refusals_shown` view goes back to."""
    request.refusal_back = url


def refusals_shown(view: Callable) -> Callable:
    """A button view: a DomainError it raises becomes `refused(...)`, back to the page
    named by `refusals_return_to`, or else the one the visitor came from."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            back = getattr(request, "refusal_back", None) or back_url(request, "/")
            return refused(request, error, back)

    return wrapper


def add_refusal(form: forms.BaseForm, error: DomainError) -> None:
    """Attach `error` to `form`: to its field if the form has it, else to the whole form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
    form.refusal = error


def refusal_of(form: forms.BaseForm) -> DomainError | None:
    """The domain error `submit` attached to `form`, if any."""
    return getattr(form, "refusal", None)


def submit(form: forms.BaseForm, action: Callable, *args: Any, **kwargs: Any) -> Any:
    """Call `action(*args, **kwargs)` for a valid `form`; on a DomainError attach it to
    the form (see `add_refusal`) and return None, else return what the action returned."""
    try:
        return action(*args, **kwargs)
    except DomainError as error:
        add_refusal(form, error)
        return None


def render_form(
    request: HttpRequest, template: str, context: dict, *, form: forms.BaseForm | None = None
) -> HttpResponse:
    """Render a form page: 200 fresh, 400 with errors, 429 with Retry-After when rate-limited.

    The form is `context["form"]` unless given."""
    form = form if form is not None else context["form"]
    refusal = refusal_of(form)
    status = 200
    if isinstance(refusal, RateLimited):
        status = 429
    elif getattr(refusal, "shown_as_page", False):
        status = refusal.status
    elif form.is_bound and form.errors:
        status = 400
    return with_retry_after(render(request, template, context, status=status), refusal)
