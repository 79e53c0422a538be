"""Search's domain errors (see core/errors.py for the base class)."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class SearchUnavailable(DomainError):
    """The search backend could not be reached. Raised only for connection failures."""

    code, status = "search_unavailable", 503
    message = _("Search is resting for a moment. Please try again shortly.")
