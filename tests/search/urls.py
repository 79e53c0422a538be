"""The site's URLs with the search app mounted at /search/, as config/urls.py will have it.

Until the lead wires `path("search/", include("search.urls"))` into config/urls.py, the
view tests use this (`@pytest.mark.urls("tests.search.urls")`); once it is wired, they
still pass.
"""

from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

_wired = any(getattr(p, "namespace", None) == "search" for p in site_urlpatterns)
urlpatterns = (
    site_urlpatterns
    if _wired
    else [
        path("search/", include("search.urls")),
        *site_urlpatterns,
    ]
)
