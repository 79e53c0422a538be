"""Which language a request is in, and where Wagtail's pages live in each (docs/i18n.md).

Pages exist in both content languages (Wagtail i18n: a locale per language, translations
share a `translation_key`). A page's address says its language: English pages at
`/billing/`, Indonesian ones at `/id/tagihan/`. Everything else (questions, members, the
API) has one address and speaks the visitor's interface language, chosen as before: the
language cookie (the member's saved preference, or the switcher), then Accept-Language.

- `ContentLanguageMiddleware` (in place of Django's LocaleMiddleware): a language prefix
  in the path decides; otherwise the cookie and Accept-Language do, exactly as
  LocaleMiddleware did before pages had prefixes. (LocaleMiddleware would force the
  default language on every unprefixed URL once any prefixed pattern exists.)
- `OptionalLanguagePrefix`: the URL pattern in front of the page tree. It matches a path
  with or without a language prefix, and reverses with the active language's prefix (none
  for the default language), so `page.url` is `/id/...` for an Indonesian page.
- `serve`: Wagtail's page view, routing an unprefixed path in the default language's tree
  (Wagtail would route in the active language's) and sending a visitor whose language
  has a live translation of the page there.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import LocalePrefixPattern
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_in_path(path: str) -> str | None:
    """The content language a path's first segment names (`/id/...`), or None."""
    first = path.lstrip("/").split("/", 1)[0]
    codes = {code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE}
    return first if first in codes and path.lstrip("/").startswith(f"{first}/") else None


class ContentLanguageMiddleware(LocaleMiddleware):
    """The path's language prefix if it has one, else the visitor's choice."""

    def process_request(self, request: HttpRequest) -> None:
        language = language_in_path(request.path_info)
        request.language_from_path = language is not None
        if language is None:
            language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class OptionalLanguagePrefix(LocalePrefixPattern):
    """Matches `/id/...` and unprefixed paths alike; reverses with the active language's
    prefix (LocalePrefixPattern's `language_prefix`)."""

    def __init__(self):
        super().__init__(prefix_default_language=False)

    def match(self, path: str):
        language = language_in_path(path)
        if language is not None:
            return path.removeprefix(f"{language}/"), (), {}
        return path, (), {}


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's `serve`, with an unprefixed path routed in the default language's tree.

    A GET for a page in another language than the visitor's, at its unprefixed address,
    goes to the page's live translation in the visitor's language if there is one (302;
    Vary: Cookie, Accept-Language); without one the page is served as it is, in the
    visitor's interface language."""
    from wagtail import views as wagtail_views
    from wagtail.models import Page

    prefixed = language_in_path(request.path_info)
    with translation.override(prefixed or settings.LANGUAGE_CODE):
        route = Page.route_for_request(request, path)  # cached on the request for serve()
    if route is None:
        raise Http404
    page = route[0]
    if prefixed is None and request.method == "GET":
        wanted = translation.get_language()
        if wanted != page.locale.language_code:
            other = page.get_translations().live().filter(locale__language_code=wanted).first()
            url = other.get_url(request) if other is not None else None
            if url:
                query = request.META.get("QUERY_STRING", "")
                response = HttpResponseRedirect(f"{url}?{query}" if query else url)
                patch_vary_headers(response, ["Cookie", "Accept-Language"])
                return response
    response = wagtail_views.serve(request, path)
    if prefixed is None:
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


def translated_path(request: HttpRequest, path: str, language: str) -> str:
    """Where the language switcher sends a visitor on `path` who picks `language`: the
    page's live translation in `language` if `path` is a Wagtail page that has one, else
    `path` itself (the same page, the interface language switched)."""
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve
    from wagtail.models import Site

    parts = urlsplit(path)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return path
    if match.view_name != "wagtail_serve" or not match.args:
        return path
    site = Site.find_for_request(request)
    if site is None:
        return path
    components = [part for part in match.args[0].split("/") if part]
    with translation.override(language_in_path(parts.path) or settings.LANGUAGE_CODE):
        try:
            page = site.root_page.localized.specific.route(request, components)[0]
        except Http404:
            return path
    if page.locale.language_code == language:
        return path
    other = page.get_translations().live().filter(locale__language_code=language).first()
    url = other.get_url(request) if other is not None else None
    if not url:
        return path
    return f"{url}?{parts.query}" if parts.query else url


# --- Pages and their translations --------------------------------------------------------


def is_default_language(page) -> bool:
    """Is `page` in the default content language? One query for the page's locale the
    first time (Django caches it on the instance)."""
    return page.locale.language_code == settings.LANGUAGE_CODE


def source_page(page):
    """`page`'s translation in the default language (the twin the forum's questions and
    counts point at), or `page` itself when it is in that language or has no such twin.
    No query beyond the locale's for a default-language page; one more otherwise."""
    if is_default_language(page):
        return page
    twin = (
        type(page)
        .objects.filter(
            translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
        )
        .first()
    )
    return twin or page


def localized_pages(pages: list, locale_id: int, *, keep: tuple[str, ...] = ()) -> list:
    """Each of `pages` (in one language) replaced by its live translation in `locale_id`
    when it has one, carrying over the attributes named in `keep` (annotations). One query."""
    if not pages:
        return []
    model = type(pages[0])
    found = {
        page.translation_key: page
        for page in model.objects.live().filter(
            locale_id=locale_id, translation_key__in=[p.translation_key for p in pages]
        )
    }
    result = []
    for page in pages:
        twin = found.get(page.translation_key)
        if twin is None:
            result.append(page)
            continue
        for name in keep:
            setattr(twin, name, getattr(page, name))
        result.append(twin)
    return result


def in_language(pages, code: str | None = None):
    """`pages` (a page queryset) as a reader of `code` (default: the active language)
    should see them: the pages in `code`, and the default language's pages that have no
    live translation in `code`. In the default language: its pages only."""
    from django.db.models import Q
    from wagtail.models import Page

    code = code or translation.get_language() or settings.LANGUAGE_CODE
    if code == settings.LANGUAGE_CODE:
        return pages.filter(locale__language_code=code)
    translated = Page.objects.live().filter(locale__language_code=code).values("translation_key")
    return pages.filter(
        Q(locale__language_code=code)
        | Q(locale__language_code=settings.LANGUAGE_CODE) & ~Q(translation_key__in=translated)
    )


def in_active_language(pages):
    """The one page of `pages` (a queryset of at most a page per language, such as the
    knowledge base's index) in the active language, else in the default one. One query."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    found = {
        page.locale.language_code: page
        for page in pages.filter(
            locale__language_code__in={code, settings.LANGUAGE_CODE}
        ).select_related("locale")
    }
    return found.get(code) or found.get(settings.LANGUAGE_CODE)
