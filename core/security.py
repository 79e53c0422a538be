"""Security headers: the Content-Security-Policy (django-csp) and Permissions-Policy.

The public site gets the strict policy in settings (CONTENT_SECURITY_POLICY, or
CONTENT_SECURITY_POLICY_REPORT_ONLY with CSP_REPORT_ONLY=1): scripts and styles only from
this origin or carrying the request's nonce, no 'unsafe-inline'. The Wagtail and Django
admins ship inline scripts and style attributes of their own, so paths under
TANYA_CSP_ADMIN_PREFIXES get TANYA_CSP_ADMIN_DIRECTIVES instead: still same-origin only,
with 'unsafe-inline'. docs/security-headers.md explains each directive.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.TANYA_CSP_ADMIN_PREFIXES))


class SitePolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin policy for the admins' paths."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.config is None and is_admin_path(request.path_info):
            configured = (
                settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
                if report_only
                else settings.CONTENT_SECURITY_POLICY
            )
            if configured:  # the admin follows the site: enforced or report-only
                parts.config = default_config(settings.TANYA_CSP_ADMIN_DIRECTIVES)
        return parts


class PermissionsPolicyMiddleware:
    """Send TANYA_PERMISSIONS_POLICY as the Permissions-Policy header on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.TANYA_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response
