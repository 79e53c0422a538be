"""Images attached to posts: an upload becomes a fresh image made from its pixels alone.

What an upload must be (docs/attachments.md):

- at most TANYA_ATTACHMENTS["MAX_BYTES"] bytes, checked before anything is decoded;
- nothing that looks like markup anywhere in the file (`<script`, `<html`, `<svg`, ...),
  so an image that is also an HTML page or a script (a polyglot, or a PNG with a page
  appended) is refused outright rather than merely cleaned;
- decoded by Pillow as PNG, JPEG, WebP or GIF: the format is what the bytes say, never
  the file's name or the browser's content type, and SVG (markup, not pixels) is never
  an image here;
- at most TANYA_ATTACHMENTS["MAX_PIXELS"] pixels, read from the header before the pixels
  are decoded (a decompression bomb is a small file that decodes to gigabytes); Pillow's
  own Image.MAX_IMAGE_PIXELS warning is turned into a refusal too;
- whole: a truncated file fails to decode and is refused.

What is kept: the pixels, turned upright by their EXIF orientation, and nothing else (no
EXIF, so no GPS position or camera serial; no ICC profile, no text chunks, no comment,
nothing appended). A GIF keeps its first frame only: screenshots are still images, and
animation would multiply the pixels decoded per upload. Pictures with transparency and
the lossless formats (PNG, GIF, lossless WebP) come out as PNG, which keeps screenshot
text sharp; photographs (JPEG, lossy WebP) come out as JPEG. Each image also gets a
thumbnail, at most THUMBNAIL_SIZE pixels on its longest side.
"""

import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import InvalidInput

FIELD = "images"
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg"}
# Markup a browser (or a confused proxy) could run if it ever took the file for a page.
# Browsers sniff a page from a file's first bytes, so those are searched for any tag that
# starts one; the whole file only for markers long enough that compressed pixels never
# spell one by chance (a four-letter tag would, in a few percent of 5 MB photographs).
_HEAD_BYTES = 1024
_HEAD_MARKUP = re.compile(
    rb"<(?:script|html|body|head|svg|iframe|object|embed|meta|title|style|!doctype|\?xml)",
    re.IGNORECASE,
)
_ANY_MARKUP = re.compile(
    rb"<script|<html|<!doctype|<iframe|<object|<embed|javascript:"
    rb"|w3\.org/2000/svg|w3\.org/1999/xhtml",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CleanImage:
    """A validated, re-encoded image and its thumbnail, ready to store."""

    content: bytes
    thumbnail: bytes
    format: str  # "PNG" or "JPEG"
    width: int
    height: int
    thumb_width: int
    thumb_height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def limits() -> dict:
    return settings.TANYA_ATTACHMENTS


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, field=FIELD)


def not_an_image() -> InvalidInput:
    return _invalid(_("Attach PNG, JPEG, WebP or GIF images only."))


def clean_image(upload) -> CleanImage:
    """The upload re-encoded from its pixels; raises InvalidInput (field "images") for
    anything too large, markup-like, not PNG/JPEG/WebP/GIF, too many pixels or broken."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is None or size <= 0:
        raise _invalid(_("The file %(name)s is empty.") % {"name": name})
    max_bytes = limits()["MAX_BYTES"]
    if size > max_bytes:
        raise _invalid(
            _("The file %(name)s is larger than %(size)s.")
            % {"name": name, "size": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _invalid(
            _("The file %(name)s is larger than %(size)s.")
            % {"name": name, "size": filesizeformat(max_bytes)}
        )
    if _HEAD_MARKUP.search(raw[:_HEAD_BYTES]) or _ANY_MARKUP.search(raw):
        raise not_an_image()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=ACCEPTED_FORMATS) as image:
                source_format = image.format
                if image.width * image.height > limits()["MAX_PIXELS"]:
                    raise _invalid(_("The image %(name)s is too large.") % {"name": name})
                image.seek(0)  # the first frame of an animated GIF, PNG or WebP
                image.load()
                lossless = source_format in ("PNG", "GIF") or (
                    source_format == "WEBP" and image.info.get("lossless", False)
                )
                upright = ImageOps.exif_transpose(image)
                return _encode(upright, lossless=lossless)
    except InvalidInput:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,  # truncated or corrupt data
        SyntaxError,  # some broken PNG chunks
        ValueError,
        EOFError,
        IndexError,
    ) as error:
        raise not_an_image() from error


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _encode(image: Image.Image, *, lossless: bool) -> CleanImage:
    alpha = _has_alpha(image)
    image = image.convert("RGBA" if alpha else "RGB")
    fmt = "PNG" if (alpha or lossless) else "JPEG"
    thumb = image.copy()
    side = limits()["THUMBNAIL_SIZE"]
    thumb.thumbnail((side, side), Image.Resampling.LANCZOS)
    return CleanImage(
        content=_save(image, fmt),
        thumbnail=_save(thumb, fmt),
        format=fmt,
        width=image.width,
        height=image.height,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
    )


def _save(image: Image.Image, fmt: str) -> bytes:
    # convert() and copy() keep `info`, and encoders write some of what they find there
    # (PNG the ICC profile, JPEG the EXIF): start the new file from pixels alone.
    image.info.clear()
    buffer = io.BytesIO()
    if fmt == "PNG":
        image.save(buffer, format="PNG", optimize=True)
    else:
        image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def clean_images(uploads) -> list[CleanImage]:
    """Every upload of one form or request, cleaned; at most MAX_PER_POST of them."""
    uploads = [upload for upload in uploads or () if upload]
    check_count(len(uploads))
    return [clean_image(upload) for upload in uploads]


def check_count(count: int) -> None:
    most = limits()["MAX_PER_POST"]
    if count > most:
        raise _invalid(
            _("A post can have at most %(count)d images.") % {"count": most},
        )
