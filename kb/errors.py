"""Knowledge-base domain errors. Like every domain error they derive from DomainError, so
the site, the API handler and the admin map them the same way as the forum's."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class NotSolved(DomainError):
    code, status = "not_solved", 409
    message = _("Only a question with an accepted answer can go into the knowledge base.")


class NoKnowledgeBase(DomainError):
    code, status = "no_knowledge_base", 409
    message = _("There is no knowledge base page yet. Create one in the Wagtail admin first.")


class NoSource(DomainError):
    code, status = "no_source", 409
    message = _("This article was not promoted from a question, so there is nothing to review.")
