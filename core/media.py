"""Serving uploaded files (media) safely, from whatever storage holds them.

Nothing but Tanya serves media, in development and production alike (docs/attachments.md):
a web server or bucket that served MEDIA_ROOT as it stands would hand out the images of
hidden and private posts. Every file goes out with

- the content type Tanya chose when it encoded the file, and `X-Content-Type-Options:
  nosniff`, so no browser takes it for a page;
- `Content-Disposition: inline` with a plain file name;
- `Content-Security-Policy: default-src 'none'; sandbox`, so even a file opened on its
  own runs nothing and reaches nothing;
- `Cross-Origin-Resource-Policy: same-origin`;
- long cache headers for files everyone may see (their names are random and never
  reused), `private` ones for the rest.

With a storage that has no local files (S3, `MEDIA_STORAGE=s3`) a request is answered
by a redirect to the storage's short-lived signed URL, with the same content type and
disposition asked of the bucket; the redirect itself is never cached.
"""

import mimetypes
import posixpath

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect

YEAR = 365 * 24 * 60 * 60
# Shared caches (a CDN) keep a public file for an hour: when its post is hidden or deleted
# they stop serving it soon after, while the reader's own browser keeps it for a year.
SHARED_CACHE_SECONDS = 60 * 60
FILE_POLICY = "default-src 'none'; sandbox"
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}


def _redirects() -> bool:
    return getattr(settings, "MEDIA_STORAGE", "local") == "s3"


def _headers(response: HttpResponse, *, content_type: str, filename: str, public: bool) -> None:
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response._csp_exempt_ro = True  # the site's report-only policy is for pages
    if public:
        response["Cache-Control"] = (
            f"public, max-age={YEAR}, s-maxage={SHARED_CACHE_SECONDS}, immutable"
        )
    else:
        response["Cache-Control"] = "private, max-age=3600"
        response["Vary"] = "Cookie"


def file_response(
    request: HttpRequest,
    name: str,
    *,
    content_type: str,
    filename: str,
    public: bool,
    storage: Storage | None = None,
) -> HttpResponse:
    """The stored file `name` as a response with the headers above (404 if it is gone)."""
    storage = storage or default_storage
    if _redirects():
        parameters = {
            "ResponseContentType": content_type,
            "ResponseContentDisposition": f'inline; filename="{filename}"',
        }
        response = HttpResponseRedirect(storage.url(name, parameters=parameters))
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle)
    _headers(response, content_type=content_type, filename=filename, public=public)
    return response


def serve_public_media(request: HttpRequest, folder: str, name: str) -> HttpResponse:
    """A file under one of the public media folders (avatars, Wagtail images), by name.

    Only images, only names without a path of their own, and only the folders config/urls.py
    routes here: attachments never come this way."""
    if "/" in name or "\\" in name or name.startswith(".") or posixpath.basename(name) != name:
        raise Http404
    content_type, _encoding = mimetypes.guess_type(name)
    if content_type not in IMAGE_TYPES:
        raise Http404
    return file_response(
        request, f"{folder}/{name}", content_type=content_type, filename=name, public=True
    )
