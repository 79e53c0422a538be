"""Production: the base settings, tightened.

Select with DJANGO_SETTINGS_MODULE=config.settings.production.

SECRET_KEY and ALLOWED_HOSTS must come from the environment; there is no default.
"""

from config.env import env_bool, env_int
from config.settings.base import *  # noqa: F403

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preload is on so `check --deploy` is clean; set SECURE_HSTS_PRELOAD=0 if your domain
# (and every subdomain) is not ready to be HTTPS-only for good.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Accounts: verified email before the first log-in, by a code (see base.py); staff and
# moderators must use MFA unless TANYA_REQUIRE_MFA_FOR_STAFF=0 (say, when everyone signs
# in through a company identity provider that already enforces it).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "confirm_email": CONFIRM_EMAIL_RATE_BY_CODE}  # noqa: F405
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
TANYA_REQUIRE_MFA_FOR_STAFF = env_bool("TANYA_REQUIRE_MFA_FOR_STAFF", default=True)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
