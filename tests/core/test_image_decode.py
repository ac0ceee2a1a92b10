"""Decoding and scaling images: the right size and colours, and refusals with a reason."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from reader.core.image_decode import (
    MAX_DECODED_PIXELS,
    ImageRefused,
    decode_picture,
    encode_png,
    fit,
    sniff,
)
from tests.support.pictures import (
    HTML,
    SVG,
    animated_gif,
    bomb_png,
    claimed_png,
    corrupt_png,
    jpeg,
    photo_jpeg,
    png,
)


def test_fit_keeps_the_shape_within_the_box_and_never_enlarges() -> None:
    assert fit(4000, 3000, 100, 100) == (100, 75)
    assert fit(3000, 4000, 100, 40) == (30, 40)
    assert fit(20, 10, 100, 100) == (20, 10)
    assert fit(10_000, 1, 50, 50) == (50, 1)
    assert fit(0, 10, 50, 50) == (0, 0)


def test_a_png_is_scaled_to_the_box_with_its_colours() -> None:
    picture = decode_picture(png(400, 300, (200, 40, 40)), 40, 40)
    assert (picture.width, picture.height) == (40, 30)
    assert len(picture.rgba) == 40 * 30 * 4
    assert picture.pixel(39, 29) == (200, 40, 40, 255)
    assert picture.pixel(0, 0) == (255, 255, 255, 255)


def test_a_photo_jpeg_is_decoded_at_a_reduced_scale() -> None:
    picture = decode_picture(photo_jpeg(), 116, 80)
    assert (picture.width, picture.height) == (107, 80)


def test_an_animated_gif_shows_its_first_frame_only() -> None:
    picture = decode_picture(animated_gif(), 20, 10)
    assert {picture.pixel(x, y) for x in range(20) for y in range(10)} == {(255, 0, 0, 255)}


def test_transparency_is_kept_for_the_renderer() -> None:
    image = Image.new("RGBA", (4, 2), (0, 0, 0, 0))
    image.putpixel((1, 1), (10, 20, 30, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    picture = decode_picture(out.getvalue(), 4, 2)
    assert picture.pixel(0, 0)[3] == 0
    assert picture.pixel(1, 1) == (10, 20, 30, 255)


def test_a_palette_gif_with_transparency_becomes_rgba() -> None:
    image = Image.new("P", (3, 1))
    image.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0] + [0] * (256 * 3 - 9))
    image.putpixel((1, 0), 1)
    image.putpixel((2, 0), 2)
    out = io.BytesIO()
    image.save(out, format="GIF", transparency=0)
    picture = decode_picture(out.getvalue(), 3, 1)
    assert picture.pixel(0, 0)[3] == 0
    assert picture.pixel(1, 0) == (255, 0, 0, 255)


def test_the_exif_orientation_is_applied() -> None:
    image = Image.new("RGB", (40, 20), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # taken turned: rotate 90 degrees clockwise to show
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    picture = decode_picture(out.getvalue(), 100, 100)
    assert (picture.width, picture.height) == (20, 40)


def test_cmyk_and_greyscale_jpegs_decode() -> None:
    for mode in ("CMYK", "L"):
        out = io.BytesIO()
        Image.new(mode, (30, 20)).save(out, format="JPEG")
        assert decode_picture(out.getvalue(), 30, 20).width == 30


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (SVG, "SVG images are not drawn"),
        (HTML, "a web page, not an image"),
        (b"", "empty"),
        (b"%PDF-1.7 ...", "not an image the reader can draw"),
        (b"%!PS-Adobe-3.0 EPSF-3.0", "not an image the reader can draw"),
    ],
)
def test_what_is_not_a_drawn_format_is_refused_before_pillow(data: bytes, reason: str) -> None:
    with pytest.raises(ImageRefused, match=reason):
        sniff(data)
    with pytest.raises(ImageRefused, match=reason):
        decode_picture(data, 10, 10)


def test_a_corrupt_or_truncated_image_is_refused() -> None:
    with pytest.raises(ImageRefused, match="damaged"):
        decode_picture(corrupt_png(), 40, 40)
    with pytest.raises(ImageRefused, match="damaged"):
        decode_picture(jpeg(200, 200)[:300], 40, 40)


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    with pytest.raises(ImageRefused, match=r"too (large|many)"):
        decode_picture(bomb_png(), 80, 40)


def test_an_image_past_the_decoded_cap_is_refused_before_decoding() -> None:
    side = int(MAX_DECODED_PIXELS**0.5) + 10
    with pytest.raises(ImageRefused, match="too large to draw"):
        decode_picture(claimed_png(side, side), 80, 40)


def test_a_jpeg_may_claim_more_pixels_since_it_decodes_at_an_eighth() -> None:
    out = io.BytesIO()
    Image.new("RGB", (6000, 4000), (9, 9, 9)).save(out, format="JPEG")
    assert decode_picture(out.getvalue(), 60, 40).width == 60


def test_a_picture_turns_back_into_a_png() -> None:
    picture = decode_picture(png(10, 8), 10, 8)
    again = decode_picture(encode_png(picture), 10, 8)
    assert again == picture
