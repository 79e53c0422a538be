"""forum/attachments.py: what an uploaded image must be, and what comes out of it."""

import io

import pytest
from PIL import Image

from core.errors import InvalidInput
from forum.attachments import clean_image, clean_images
from tests.forum.images import (
    image_bytes,
    jpeg_with_gps_and_rotation,
    png,
    png_bomb,
    png_with_text_chunk,
    upload,
)


def _refused(content: bytes, name: str = "screenshot.png", content_type: str = "image/png"):
    with pytest.raises(InvalidInput) as refusal:
        clean_image(upload(content, name, content_type))
    assert refusal.value.field == "images"
    return refusal.value


def _decoded(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def test_a_png_screenshot_comes_out_as_a_png_of_the_same_size():
    cleaned = clean_image(png(size=(300, 200)))

    image = _decoded(cleaned.content)
    assert (image.format, image.size) == ("PNG", (300, 200))
    assert (cleaned.width, cleaned.height, cleaned.content_type) == (300, 200, "image/png")


def test_the_thumbnail_is_at_most_480_pixels_on_its_longest_side():
    cleaned = clean_image(png(size=(1200, 600)))

    thumbnail = _decoded(cleaned.thumbnail)
    assert thumbnail.size == (480, 240) == (cleaned.thumb_width, cleaned.thumb_height)


def test_a_jpeg_photo_stays_a_jpeg():
    cleaned = clean_image(upload(image_bytes("JPEG"), "photo.jpg", "image/jpeg"))

    assert _decoded(cleaned.content).format == "JPEG"
    assert cleaned.content_type == "image/jpeg"


def test_webp_and_gif_are_accepted_and_re_encoded_as_png():
    for fmt in ("WEBP", "GIF"):
        cleaned = clean_image(upload(image_bytes(fmt, lossless=True), f"x.{fmt.lower()}"))

        assert _decoded(cleaned.content).format in ("PNG", "JPEG")


def test_an_animated_gif_keeps_its_first_frame_only():
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100)

    cleaned = clean_image(upload(buffer.getvalue(), "anim.gif", "image/gif"))

    image = _decoded(cleaned.content)
    assert image.format == "PNG"
    assert getattr(image, "n_frames", 1) == 1
    assert image.convert("RGB").getpixel((5, 5)) == (255, 0, 0)


def test_exif_with_a_gps_position_is_removed_and_the_orientation_applied():
    original = jpeg_with_gps_and_rotation()
    assert b"SecretCam" in original and _decoded(original).getexif().get_ifd(0x8825)

    cleaned = clean_image(upload(original, "holiday.jpg", "image/jpeg"))

    image = _decoded(cleaned.content)
    assert image.size == (20, 60)  # turned upright: the EXIF said "rotate 90°"
    assert not image.getexif()
    assert b"Exif" not in cleaned.content and b"SecretCam" not in cleaned.content
    assert b"Exif" not in cleaned.thumbnail


def test_the_format_is_what_the_bytes_say_not_the_name_or_the_content_type():
    cleaned = clean_image(upload(image_bytes("PNG"), "invoice.jpg", "image/jpeg"))

    assert cleaned.content_type == "image/png"


def test_an_svg_is_refused_even_named_and_typed_as_a_png():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    error = _refused(svg, "logo.png", "image/png")

    assert "PNG, JPEG, WebP or GIF" in str(error.message)


def test_an_svg_without_any_script_is_refused_too():
    _refused(
        b'<?xml version="1.0"?><svg width="10" height="10"></svg>', "logo.svg", "image/svg+xml"
    )


def test_an_html_page_named_as_an_image_is_refused():
    _refused(b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "x.gif")


def test_a_png_with_an_html_page_appended_is_refused():
    polyglot = image_bytes("PNG") + b"<html><body><script>alert(document.cookie)</script>"

    _refused(polyglot)


def test_a_png_that_carries_a_script_in_a_text_chunk_is_refused():
    polyglot = png_with_text_chunk(b"<script src=//evil.example/x.js></script>")
    assert _decoded(polyglot).format == "PNG"  # a real image, and a script

    _refused(polyglot)


def test_a_gif_that_is_also_javascript_is_refused():
    # GIF89a/*...*/ parses as JavaScript; its "size" is the text's bytes, absurdly large.
    _refused(b"GIF89a/*\x00\x00\x00\x00*/=1;alert(1);//" + b"\x00" * 64, "x.gif", "image/gif")


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded():
    bomb = png_bomb(30_000, 30_000)  # 900 million pixels in a file of a few kilobytes
    assert len(bomb) < 100_000

    _refused(bomb)


def test_an_image_over_the_pixel_limit_is_refused(settings):
    settings.TANYA_ATTACHMENTS = {**settings.TANYA_ATTACHMENTS, "MAX_PIXELS": 10_000}

    error = _refused(image_bytes("PNG", size=(200, 100)))

    assert "too large" in str(error.message)


def test_a_file_over_the_byte_limit_is_refused_before_decoding(settings):
    settings.TANYA_ATTACHMENTS = {**settings.TANYA_ATTACHMENTS, "MAX_BYTES": 100}

    error = _refused(image_bytes("PNG", size=(200, 200), colour=(1, 2, 3)) + b"\x00" * 100)

    assert "larger than" in str(error.message)


def test_a_truncated_image_is_refused():
    whole = image_bytes("JPEG", size=(400, 300))

    _refused(whole[: len(whole) // 2], "cut.jpg", "image/jpeg")


def test_a_truncated_png_is_refused():
    whole = image_bytes("PNG", size=(400, 300), colour=(10, 20, 30, 40))

    _refused(whole[: len(whole) // 2])


def test_text_named_as_an_image_is_refused():
    _refused(b"just some text, not pixels", "notes.png")


def test_an_empty_file_is_refused():
    _refused(b"")


def test_more_images_than_a_post_may_have_are_refused(settings):
    settings.TANYA_ATTACHMENTS = {**settings.TANYA_ATTACHMENTS, "MAX_PER_POST": 2}

    with pytest.raises(InvalidInput) as refusal:
        clean_images([png(), png(), png()])

    assert "at most 2 images" in str(refusal.value.message)


def test_transparency_is_kept_as_a_png():
    cleaned = clean_image(png(colour=(0, 0, 0, 0)))

    assert _decoded(cleaned.content).mode == "RGBA"
