"""The sample posts as data: their files, the loader that reads them, and the public post list."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.sample import taxonomy
from reader.sample.content import FIRST_ID, ID_STEP, sample_posts, sample_site
from reader.sample.draft import POSTS, parse_draft, read_drafts, render_body

FRONT = '+++\ntitle = "T"\nauthor = "mara-okafor"\ndate = 2025-03-04 10:00:00Z\n'
FRONT += 'section = "news"\ntopics = ["kidney"]\n+++\n\n'


def body_of(text: str) -> str:
    """The rendered body of a one-off post written as a file's body."""
    draft = parse_draft(FRONT + text, "one-off")
    return render_body(draft, {"one-off": draft.path}, {"one-off": 500})


def test_the_posts_folder_sits_in_the_package_and_every_file_is_a_post() -> None:
    # Inside reader/, so the wheel carries it and an editable install finds it in place.
    assert POSTS.parent == Path(taxonomy.__file__).parent
    files = sorted(POSTS.iterdir())
    assert len(files) == 48
    assert all(path.suffix == ".md" for path in files)
    assert {draft.slug for draft in read_drafts()} == {path.stem for path in files}


def test_every_post_names_known_terms_and_authors() -> None:
    categories = {term.slug for term in taxonomy.all_terms() if term.role != "tag"}
    tags = {term.slug for term in taxonomy.TAGS}
    authors = {author.slug for author in taxonomy.AUTHORS}
    for draft in read_drafts():
        assert draft.section in {term.slug for term in taxonomy.SECTIONS}, draft.slug
        assert set(draft.topics) <= categories and set(draft.tags) <= tags, draft.slug
        assert draft.author in authors, draft.slug
        assert draft.published.tzinfo is UTC and draft.modified >= draft.published


def test_sample_posts_is_the_content_the_site_serves() -> None:
    posts = sample_posts()
    assert [post.id for post in posts] == [FIRST_ID + ID_STEP * i for i in range(len(posts))]
    assert [post.published for post in posts] == sorted(post.published for post in posts)
    assert sorted(posts, key=lambda p: p.id) == sorted(sample_site().posts(), key=lambda p: p.id)
    first = posts[0]
    assert first.slug == "kidney-organoids-grow-their-own-blood-vessels"
    assert first.categories == ("news", "kidney") and first.tags == ("organoids",)
    assert first.published == datetime(2024, 1, 16, 17, 0, tzinfo=UTC)
    assert first.excerpt.startswith("For years, kidney organoids grown in the lab")
    assert len(first.excerpt.split()) == 55 and "<" not in first.excerpt
    served = first.body_at("http://127.0.0.1:8080")
    assert "{site}" not in served and "http://127.0.0.1:8080/wp-content/uploads/2024/01/" in served


def test_block_forms_become_wordpress_blocks() -> None:
    html = body_of(
        "![A dish, seen from above](dish.png)\n: A dish on the bench,\n  seen from above.\n\n"
        "![A short film](https://www.youtube.com/watch?v=Ab3_x-9)\n\n"
        "|      | 2024 |\n| ---- | ---- |\n| Labs | 31   |\n: Counted in May.\n\n"
        ">> We asked each other\n>> for help.\n: A director\n\n"
        "Back to prose."
    )
    assert (
        '<figure class="wp-block-image size-large"><img decoding="async" width="1024" '
        'height="683" src="{site}/wp-content/uploads/2025/03/dish.png" '
        'alt="A dish, seen from above"/><figcaption class="wp-element-caption">A dish on the '
        "bench, seen from above.</figcaption></figure>"
    ) in html
    assert 'src="https://www.youtube.com/embed/Ab3_x-9?feature=oembed"' in html
    assert 'iframe title="A short film"' in html
    assert (
        "<thead><tr><th></th><th>2024</th></tr></thead><tbody><tr><td>Labs</td><td>31</td>"
        '</tr></tbody></table><figcaption class="wp-element-caption">Counted in May.'
    ) in html
    assert (
        '<figure class="wp-block-pullquote"><blockquote><p>We asked each other for help.</p>'
        "<cite>A director</cite></blockquote></figure>"
    ) in html
    assert html.endswith("<p>Back to prose.</p>\n")


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("no front matter\n", "no +++ front matter"),
        (FRONT.replace('section = "news"', 'section = "news"\nsectoin = "x"'), "unknown"),
        (FRONT.replace('author = "mara-okafor"\n', ""), "missing ['author']"),
        (FRONT.replace("10:00:00Z", "10:00:00"), "UTC"),
        (FRONT.replace("10:00:00Z", "10:00:00-07:00"), "UTC"),
        (FRONT.replace('topics = ["kidney"]', 'topics = "kidney"'), "list of slugs"),
        (FRONT.replace('title = "T"', "title = 3"), "non-empty string"),
        (FRONT.replace("+++\n\n", '\n[image]\nfile = "a.png"\n+++\n\n'), "file and alt"),
        (FRONT.replace('title = "T"', 'title = "T'), "one-off:"),
    ],
)
def test_a_malformed_file_is_refused_with_its_name(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match="one-off") as refused:
        parse_draft(text, "one-off")
    assert complaint in str(refused.value)


@pytest.mark.parametrize(
    ("block", "complaint"),
    [
        ("| a | b |\n| - | - |\n| 1 | 2 |", "header row"),
        ("| a | b |\n| --- | --- |\n| 1 |", "as many cells"),
        ("![A film](https://www.youtube.com/watch?v=abc)\n: caption", "no caption"),
        ("![alt](a.png) trailing words", "one line"),
    ],
)
def test_a_malformed_block_is_refused(block: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        body_of(block)
