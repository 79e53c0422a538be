"""The benchmark's URLconf: the site's own, plus the two ceilings `make bench` measures
every page against, served by the same gunicorn in the same run (benchmarks/web.py).

- `/__bench__/ok`: a bare Django view returning a short text (the framework's floor);
- `/__bench__/page?bytes=N`: a database-free Django template rendering about N bytes of
  HTML shaped like a thread (a hundred articles of paragraphs), the ceiling for a page of
  that size that needs no data.

Only `make bench` uses it (ROOT_URLCONF=benchmarks.urls); the site never routes to it.
"""

from functools import lru_cache

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

_PAGE = engines["django"].from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
</head><body><main><h1>{{ title }}</h1>{% for item in items %}
<article id="answer-{{ item.id }}"><header>
<a href="/members/{{ item.author }}/">{{ item.author }}</a>
<time datetime="2026-12-01">1 Dec 2026</time></header>{% for paragraph in item.paragraphs %}
<p>{{ paragraph }}</p>{% endfor %}<footer><span>{{ item.score }} votes</span></footer></article>
{% endfor %}</main></body></html>"""
)
_PARAGRAPH = (
    "Hold the reset button on the back of the router for ten seconds, wait for the lights "
    "to settle & sign in again with the password printed on the label <if it was changed>."
)


@lru_cache(maxsize=8)
def _items(size: int) -> list[dict]:
    per_item = len(_PARAGRAPH) * 3 + 260
    return [
        {"id": n, "author": f"member{n}", "score": n % 7, "paragraphs": [_PARAGRAPH] * 3}
        for n in range(max(1, size // per_item))
    ]


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


def page(request):
    try:
        size = min(int(request.GET.get("bytes", "100000")), 5_000_000)
    except ValueError:
        size = 100_000
    html = _PAGE.render({"title": "A thread", "items": _items(size)}, request)
    return HttpResponse(html)


urlpatterns = [
    path("__bench__/ok", ok),
    path("__bench__/page", page),
    *site_urlpatterns,
]
