"""Avatars: uploaded pictures re-encoded from their pixels, or initials on a colour.

An upload is decoded with Pillow (JPEG, PNG or WebP only), turned upright, cropped to a
centred square and encoded afresh as a 256x256 WebP (PNG where Pillow lacks WebP). Only
pixels cross over: no EXIF (camera, GPS), no ICC profile, no comment chunks, and nothing
appended to the file, so a polyglot (an image that is also HTML or a script) comes out as
just an image.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError, features

from core.errors import InvalidInput

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_SIZE = 256
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# Far above any real avatar, far below what would exhaust memory while decoding.
MAX_PIXELS = 40_000_000


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, field="avatar")


def normalise_avatar(upload) -> ContentFile:
    """The upload as a fresh 256x256 square image file; raises InvalidInput (field
    "avatar") for anything too large, not JPEG/PNG/WebP, or not decodable."""
    if upload is None or not getattr(upload, "size", 0):
        raise _invalid(_("Choose a picture to upload."))
    if upload.size > AVATAR_MAX_BYTES:
        raise _invalid(_("The picture must be at most 2 MB."))
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=ACCEPTED_FORMATS) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise _invalid(_("The picture has too many pixels."))
                image.seek(0)  # the first frame of an animated PNG or WebP
                image.load()
                square = _square(image)
    except InvalidInput:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,  # some truncated PNGs
        ValueError,
        EOFError,
    ) as error:
        raise _invalid(_("Upload a JPEG, PNG or WebP picture.")) from error
    return _encode(square)


def _square(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    return ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)


def _encode(image: Image.Image) -> ContentFile:
    # convert() and resize() copy `info`, and some encoders write what they find there
    # (PNG writes the ICC profile): start the new file from pixels alone.
    image.info.clear()
    buffer = io.BytesIO()
    if features.check("webp"):
        image.save(buffer, format="WEBP", quality=85, method=4)
        extension = "webp"
    else:
        image.save(buffer, format="PNG", optimize=True)
        extension = "png"
    return ContentFile(buffer.getvalue(), name=f"avatar.{extension}")


# --- Initials, for members without a picture -------------------------------------------


@dataclass(frozen=True)
class Initials:
    letters: str
    hue: int


def initials_for(username: str, name: str) -> Initials:
    """One or two letters from the name, and a hue stable for the username.

    The hue comes from the username (which never changes) rather than the display name,
    so a member keeps their colour when they rename themselves.
    """
    words = [word for word in name.split() if word[:1].isalnum()]
    if len(words) >= 2:
        letters = words[0][0] + words[-1][0]
    elif words:
        letters = words[0][0]
    else:
        letters = (username[:1] or "?").upper()
    digest = hashlib.sha256(username.encode()).digest()
    return Initials(letters=letters.upper(), hue=int.from_bytes(digest[:2], "big") % 360)
