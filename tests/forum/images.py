"""Image files for the attachment tests, made with Pillow (and by hand for hostile ones)."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt: str = "PNG", size=(64, 48), colour=(30, 120, 200), **save) -> bytes:
    mode = "RGBA" if fmt == "PNG" and len(colour) == 4 else "RGB"
    image = Image.new(mode, size, colour)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(content: bytes, name: str = "screenshot.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png(name: str = "screenshot.png", **kwargs) -> SimpleUploadedFile:
    return upload(image_bytes("PNG", **kwargs), name)


def jpeg_with_gps_and_rotation() -> bytes:
    """A 60x20 JPEG whose EXIF says "rotate 90°" (orientation 6) and holds a GPS position."""
    image = Image.new("RGB", (60, 20), (200, 40, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned; show it rotated
    exif[0x010F] = "SecretCam"  # make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (6.0, 10.0, 30.0)  # latitude
    gps[3], gps[4] = "E", (106.0, 49.0, 0.0)  # longitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid little PNG that claims (and would decode to) width x height grey pixels."""
    row = b"\x00" + b"\x00" * width  # filter byte, then one byte per pixel
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(200)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def png_with_text_chunk(text: bytes) -> bytes:
    """A valid PNG carrying `text` in a tEXt chunk before its pixels."""
    plain = image_bytes("PNG")
    ihdr_end = 8 + 25  # signature, then the IHDR chunk (4 + 4 + 13 + 4)
    return plain[:ihdr_end] + _chunk(b"tEXt", b"Comment\x00" + text) + plain[ihdr_end:]
