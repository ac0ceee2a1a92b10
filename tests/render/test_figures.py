"""Images in the article: featured under the header, figures in place, alt text kept."""

from __future__ import annotations

from rich.console import Console

from reader.core.image_decode import Picture
from reader.core.models import Link, LinkKind, Post
from reader.render.article import render_post, render_text
from reader.render.figures import ArticleImage, ImageBlock, ImageBoard, cells_for, picture_rows
from reader.render.halfblocks import HalfBlocks
from reader.render.styles import ArticleStyles

BASE = "https://example.org/2025/03/04/cells/"
BODY = (
    "<p>Before the figure.</p>"
    '<figure class="wp-block-image"><img src="/up/cells.png" alt="Leukemic cells" '
    'width="1024" height="683"><figcaption>Leukemic cells (Image courtesy of a lab)'
    "</figcaption></figure><p>After the figure.</p>"
)
POST = Post(
    1,
    BASE,
    "Cells",
    content=BODY,
    links=(Link(LinkKind.FEATURED, "https://example.org/up/feature.png", "A dish"),),
)


def _lines(article_renderables: list[object], width: int = 60) -> list[str]:
    console = Console(width=width, color_system=None, legacy_windows=False)
    lines: list[str] = []
    for renderable in article_renderables:
        for line in console.render_lines(renderable, console.options, pad=False):  # type: ignore[arg-type]
            lines.append("".join(segment.text for segment in line).rstrip())
    return lines


def test_without_a_board_images_are_their_alt_text_as_before() -> None:
    text = render_text(POST, width=60)
    assert "[image: Leukemic cells]" in text
    assert render_post(POST).images == []


def test_the_featured_image_stands_under_the_header_and_the_figure_in_place() -> None:
    board = ImageBoard(max_rows=10)
    article = render_post(POST, ArticleStyles.plain(), board)
    assert [(i.number, i.url) for i in article.images] == [
        (1, "https://example.org/up/feature.png"),
        (2, "https://example.org/up/cells.png"),
    ]
    lines = _lines(article.renderables)
    assert lines[0] == "Cells"
    featured = lines.index("[image: A dish]")
    figure = lines.index("[image: Leukemic cells]")
    # Each picture's rows are held for it: 60 columns of a 3:2 or 1024x683 image in 10 rows.
    assert lines[featured + 1 : featured + 10] == [""] * 9
    assert lines.index("Before the figure.") < figure < lines.index("After the figure.")
    caption = next(i for i, line in enumerate(lines) if line.startswith("Leukemic cells (Image"))
    assert caption == figure + 10  # the caption right under its picture


def test_the_held_rows_carry_the_image_number_and_size_for_the_view() -> None:
    board = ImageBoard(max_rows=10)
    block = ImageBlock(
        ArticleImage(3, "https://e.org/a.png", "A", 600, 200), board, ArticleStyles().image
    )
    console = Console(width=80, color_system=None)
    lines = console.render_lines(block, console.options, pad=False)
    # 600x200 pixels within 80 columns and 10 rows (20 pixels high): 60 columns, 10 rows.
    assert len(lines) == 10
    first = lines[0][0]
    assert first.style is not None
    assert first.style.meta == {"image": 3, "columns": 60, "rows": 10}


def test_a_failed_image_shrinks_to_its_alt_text() -> None:
    board = ImageBoard(max_rows=10, failed={"https://example.org/up/cells.png": "404"})
    lines = _lines(render_post(POST, ArticleStyles.plain(), board).renderables)
    figure = lines.index("[image: Leukemic cells]")
    assert lines[figure + 1].startswith("Leukemic cells (Image")


def test_a_drawn_picture_is_placed_where_its_rows_were_held() -> None:
    red = Picture(4, 4, bytes((255, 0, 0, 255)) * 16)
    board = ImageBoard(
        max_rows=10, drawn={"https://example.org/up/cells.png": HalfBlocks(red, "256")}
    )
    text = render_text(POST, width=60, color=True, board=board)
    lines = text.splitlines()
    figure = lines.index("Before the figure.") + 2
    # Four red pixels across, four down: two rows of four cells whose halves match.
    assert lines[figure] == lines[figure + 1]
    assert lines[figure].endswith("m    \x1b[0m")
    assert "Leukemic cells (Image" in lines[figure + 2]
    assert "[image: Leukemic cells]" not in text


def test_emoji_pictures_become_their_character() -> None:
    post = Post(
        2, BASE, "Coffee", content='<p>Time for <img class="wp-smiley" src="/c.svg" alt="☕"></p>'
    )
    assert "Time for ☕" in render_text(post)
    assert "Time for ☕" in render_text(post, board=ImageBoard())


def test_the_rows_of_a_picture_follow_its_shape_and_the_pane() -> None:
    assert cells_for((1024, 683), 60, 20) == (60, 20)
    assert cells_for((1024, 683), 116, 20) == (60, 20)
    assert cells_for((100, 40), 116, 20) == (100, 20)
    assert cells_for((2000, 200), 80, 20) == (80, 4)
    assert [picture_rows(h) for h in (10, 21, 37, 80)] == [6, 12, 20, 20]


def test_with_pictures_off_the_featured_image_is_its_alt_text() -> None:
    lines = render_text(POST, width=60).splitlines()
    assert lines.index("[image: A dish]") < lines.index("Before the figure.")
    nameless = Post(3, BASE, "No alt", links=(Link(LinkKind.FEATURED, "/f.png", ""),))
    assert "[image" not in render_text(nameless)
