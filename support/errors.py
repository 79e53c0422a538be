from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class AlreadyEscalated(DomainError):
    code, status = "already_escalated", 409
    message = _("This question already has an open escalation.")
