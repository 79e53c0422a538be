"""Shared bits for the account tests: pictures made with Pillow, TOTP codes made with
allauth's own helper, and logging in through allauth's real login page."""

import io
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

PASSWORD = "correct horse battery staple"  # the password tests.factories.UserFactory sets


def picture(
    kind: str = "PNG", size: tuple[int, int] = (400, 300), *, exif: bytes | None = None
) -> bytes:
    image = Image.new("RGB", size, (200, 40, 90))
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def upload(content: bytes, name: str = "me.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def gps_exif() -> bytes:
    """EXIF naming a camera and a place, as phones write it."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x8825] = {1: "S", 2: (6.0, 12.0, 0.0), 3: "E", 4: (106.0, 49.0, 0.0)}  # GPS
    return exif.tobytes()


def totp_code(secret: str) -> str:
    """The current code for `secret`, computed by allauth's own TOTP helper."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def log_in(client, login: str, password: str = PASSWORD):
    """Log in through allauth's login page (so allauth records how, for reauthentication)."""
    return client.post(reverse("account_login"), {"login": login, "password": password})


def last_email_to(address: str):
    return next(message for message in reversed(mail.outbox) if address in message.to)


def log_in_and_confirm(client, login: str, password: str = PASSWORD):
    """Log in, then confirm the password again as allauth asks before MFA changes."""
    log_in(client, login, password)
    return client.post(reverse("account_reauthenticate"), {"password": password})


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: a decompression bomb
    as far as the header goes, without the memory to build a real one."""
    import struct
    import zlib

    data = bytearray(picture("PNG", (1, 1)))
    # The IHDR chunk starts after the 8-byte signature: length(4) type(4) data(13) crc(4).
    ihdr = bytearray(data[16:29])
    ihdr[0:8] = struct.pack(">II", width, height)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)))
    return bytes(data)
