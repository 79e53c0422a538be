"""`reverse_one(name, arg)`: `reverse(name, args=[arg])` for the URLs a long page builds
hundreds of times (a member's profile per post, an answer's permalink), without walking
the URLconf each time.

The URL is reversed once per name, script prefix, URLconf and language with a marker in
place of the argument, and the marker is then replaced by the argument quoted exactly as
`reverse` quotes it. Only for URL patterns with one argument whose converter accepts the
marker (int: a digit string; str: letters and digits): anything else goes through
`reverse` unchanged. docs/performance.md says why (the question page with 100 answers
reversed 1,100 URLs per render).
"""

from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language

_INT_MARKER = 918273645546372819
_STR_MARKER = "tanyaurlmarker0"
_SAFE = RFC3986_SUBDELIMS + "/~:@"


@lru_cache(maxsize=512)
def _pattern(name: str, numeric: bool, prefix: str, urlconf, language: str | None) -> str:
    url = reverse(name, args=[_INT_MARKER if numeric else _STR_MARKER], urlconf=urlconf)
    marker = str(_INT_MARKER) if numeric else _STR_MARKER
    if url.count(marker) != 1:
        raise ValueError(f"{name} cannot be reversed through a marker")
    return url


def reverse_one(name: str, arg: int | str) -> str:
    numeric = isinstance(arg, int)
    if not numeric and "/" in str(arg):
        return reverse(name, args=[arg])  # `str` refuses a slash: let reverse say so
    try:
        url = _pattern(name, numeric, get_script_prefix(), get_urlconf(), get_language())
    except ValueError:
        return reverse(name, args=[arg])
    marker = str(_INT_MARKER) if numeric else _STR_MARKER
    return url.replace(marker, str(arg) if numeric else quote(str(arg), safe=_SAFE))
