"""The sample site's uploads are real pictures, made in code: decodable, distinct, repeatable."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from reader.sample.pictures import HEIGHT, WIDTH, upload_png


def test_each_upload_is_a_real_png_of_its_own() -> None:
    first = Image.open(io.BytesIO(upload_png("2025/03/kidney-organoid.png")))
    second = Image.open(io.BytesIO(upload_png("2024/01/dish.png")))
    assert first.format == "PNG" and first.size == (WIDTH, HEIGHT)
    assert first.tobytes() != second.tobytes()
    # Not a flat placeholder: a picture has many colours.
    assert len(first.convert("RGB").getcolors(maxcolors=1 << 20) or ()) > 500
    upload_png.cache_clear()
    assert upload_png("2024/01/dish.png") == upload_png("2024/01/dish.png")


def test_the_server_serves_the_featured_images_the_rest_api_names(sample_site: str) -> None:
    with httpx.Client(timeout=10) as client:
        posts = client.get(f"{sample_site}/wp-json/wp/v2/posts?_embed=wp:featuredmedia").json()
        embedded = [p.get("_embedded", {}).get("wp:featuredmedia") for p in posts]
        media = [found[0] for found in embedded if found]
        assert media
        answer = client.get(media[0]["source_url"])
    assert answer.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(answer.content)).size == (WIDTH, HEIGHT)
