"""robots.txt and the sitemap, both on SITE_URL's host (core/seo.py, docs/seo.md)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from core.seo import on_site, site_origin
from kb.sitemaps import SolvedQuestionSitemap

# Never worth crawling: the admins, sign-in and account pages, search results (endless
# combinations of the same content), the API and members' settings.
ROBOTS_DISALLOW = [
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/_allauth/",
    "/api/",
    "/search/",
    "/settings/",
    "/notifications/",
    "/questions/ask/",
]


class _OnSiteHost:
    """Django's sitemap takes the domain from the request and the protocol from the
    request or the Sitemap; both come from SITE_URL here instead."""

    def get_protocol(self, protocol=None):
        return site_origin()[0]

    def get_domain(self, site=None):
        return site_origin()[1]


class PageSitemap(_OnSiteHost, WagtailSitemap):
    """Wagtail's page tree in every language (the site root and its translations: English
    pages and the /id/ ones, docs/i18n.md), its URLs moved onto SITE_URL's host (Wagtail
    would take the Site record's hostname and port)."""

    def items(self):
        from functools import reduce
        from operator import or_

        from django.db.models import Q
        from wagtail.models import Page

        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key).only("path")
        under = reduce(or_, (Q(path__startswith=each.path) for each in roots), Q(pk=root.pk))
        return (
            Page.objects.filter(under)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = on_site(url["location"])
        return urls


class QuestionSitemap(_OnSiteHost, SolvedQuestionSitemap):
    pass


SITEMAPS = {"pages": PageSitemap, "questions": QuestionSitemap}


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {on_site(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
