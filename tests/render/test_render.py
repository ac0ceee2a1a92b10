"""The article renderer: each HTML construct, the link table, the header and the text output."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from rich.console import Console, Group, RenderableType
from rich.style import Style
from rich.text import Text

from reader.core.models import Link, LinkKind, Post
from reader.core.text import UNSAFE_PATTERN
from reader.render.article import (
    EMPTY_NOTE,
    EXCERPT_NOTE,
    FALLBACK_NOTE,
    RenderedArticle,
    render_body,
    render_post,
    render_text,
)
from reader.render.layout import KeptTogether
from reader.render.links import LinkTarget
from reader.render.styles import ArticleStyles

BASE = "https://stemcell.keck.usc.edu/2025/09/kidney-organoids/"
OSC8 = re.compile(r"\x1b\]8;[^;\x1b]*;([^\x1b]*)\x1b\\")


def export(article: RenderedArticle | list[RenderableType], width: int = 80) -> str:
    """The article as plain text, the way a test reads it."""
    blocks = article.renderables if isinstance(article, RenderedArticle) else article
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(Group(*blocks))
    return console.export_text()


def ansi(article: RenderedArticle, width: int = 80) -> str:
    """The article as a colour terminal would receive it."""
    output = io.StringIO()
    console = Console(width=width, file=output, force_terminal=True, color_system="truecolor")
    console.print(Group(*article.renderables))
    return output.getvalue()


def lines_of(html: str, width: int = 80) -> list[str]:
    return [line.rstrip() for line in export(render_body(html, BASE), width).splitlines()]


def styles_of(article: RenderedArticle, word: str) -> list[Style]:
    """The styles of the segments that hold ``word`` (unstyled ones too); there must be some."""
    console = Console(width=80, color_system="truecolor", file=io.StringIO())
    found = []
    for line in console.render_lines(Group(*article.renderables), pad=False):
        for segment in line:
            if word in segment.text:
                # An unstyled segment counts as plain text: skipping it would let a check such
                # as all(style.bold ...) pass on nothing once a style is lost.
                found.append(segment.style or Style.null())
    assert found, f"{word!r} is not in the rendered article"
    return found


def link_numbers_on_segments(article: RenderedArticle) -> dict[int, str]:
    """Link number -> the text of the segments carrying that number in their meta."""
    console = Console(width=80, color_system="truecolor", file=io.StringIO())
    numbers: dict[int, str] = {}
    for line in console.render_lines(Group(*article.renderables), pad=False):
        for segment in line:
            if segment.style is not None and "link" in segment.style.meta:
                number = segment.style.meta["link"]
                numbers[number] = numbers.get(number, "") + segment.text
    return numbers


# -- text and whitespace ----------------------------------------------------------------------


def test_whitespace_collapses_and_blocks_are_separated_by_one_blank_line() -> None:
    html = "<p>Stem   cells\n\n   divide</p>\n\n\n<p> and <b>grow</b> .</p><div>a</div><div>b</div>"
    assert lines_of(html) == ["Stem cells divide", "", "and grow .", "", "a", "b"]


def test_no_break_space_survives_collapsing() -> None:
    assert lines_of("<p>10&nbsp;000 cells</p>") == ["10\xa0000 cells"]


def test_br_breaks_the_line() -> None:
    assert lines_of("<p>first<br>second<br/>  third</p>") == ["first", "second", "third"]


def test_entities_are_decoded_once() -> None:
    html = "<p>Heart, Lung &amp; Blood &#8211; it&#8217;s &lt;b&gt; &amp;lt;p&amp;gt;</p>"
    assert lines_of(html) == ["Heart, Lung & Blood – it’s <b> &lt;p&gt;"]


def test_empty_paragraphs_leave_no_gaps() -> None:
    assert lines_of("<p>a</p><p>&nbsp;</p><p> </p><p><br></p><p>b</p>") == ["a", "", "b"]


def test_markup_looking_text_is_shown_literally() -> None:
    html = "<p>[@click=app.quit] then [/] and [bold red]loud[/bold red] :smile:</p>"
    text = export(render_body(html, BASE))
    assert "[@click=app.quit] then [/] and [bold red]loud[/bold red] :smile:" in text


def test_control_and_bidi_characters_never_reach_the_output() -> None:
    html = (
        "<p>a\x1b[31mred\x07 \u202eevil\u202c &#x1b;]8;;x &#x9b;2J \x00nul\x7f</p>"
        '<a href="https://example.org/\x1b]8;;x\x07">link\u2066</a>'
    )
    article = render_body(html, BASE)
    text = export(article)
    assert UNSAFE_PATTERN.search(text) is None
    assert "a[31mred" in text
    assert "evil" in text
    assert all(UNSAFE_PATTERN.search(link.url) is None for link in article.links)


# -- inline styles ----------------------------------------------------------------------------


def test_inline_styles_are_applied() -> None:
    html = (
        "<p><strong>bold</strong> <b>bee</b> <em>slanted</em> <i>eye</i> <u>under</u> "
        "<s>gone</s> <del>deleted</del> <code>snippet</code></p>"
    )
    article = render_body(html, BASE)
    assert all(style.bold for style in styles_of(article, "bold"))
    assert all(style.bold for style in styles_of(article, "bee"))
    assert all(style.italic for style in styles_of(article, "slanted"))
    assert all(style.italic for style in styles_of(article, "eye"))
    assert all(style.underline for style in styles_of(article, "under"))
    assert all(style.strike for style in styles_of(article, "gone"))
    assert all(style.strike for style in styles_of(article, "deleted"))
    code_colour = ArticleStyles().code.color
    assert [style.color for style in styles_of(article, "snippet")] == [code_colour]


def test_nested_inline_styles_combine() -> None:
    article = render_body("<p><b>outer <i>both</i></b></p>", BASE)
    (style,) = styles_of(article, "both")
    assert style.bold and style.italic


def test_superscript_and_subscript_digits() -> None:
    assert lines_of("<p>x<sup>2</sup> H<sub>2</sub>O 1<sup>st</sup></p>") == ["x² H₂O 1st"]


def test_unknown_elements_keep_their_text_and_lose_their_tags() -> None:
    html = "<p><custom-thing>kept</custom-thing> <blink>also</blink> <mark>marked</mark></p>"
    assert lines_of(html) == ["kept also marked"]


def test_scripts_styles_forms_and_navigation_are_dropped() -> None:
    html = (
        "<p>before</p><script>alert('x')</script><style>p{color:red}</style>"
        "<noscript>enable js</noscript><template><p>tpl</p></template>"
        "<svg><text>drawn</text></svg><form><input value='v'><button>Send</button></form>"
        '<nav class="post-navigation"><a href="/older/">Older</a></nav><p>after</p>'
    )
    article = render_body(html, BASE)
    assert lines_of(html) == ["before", "", "after"]
    assert article.links == []


# -- blocks -----------------------------------------------------------------------------------


def test_headings_stand_apart_and_carry_their_styles() -> None:
    html = "<p>intro</p><h2>Major</h2><h3>Minor</h3><h4>Small</h4><p>text</p>"
    article = render_body(html, BASE)
    assert lines_of(html) == ["intro", "", "Major", "", "Minor", "", "Small", "", "text"]
    styles = ArticleStyles()
    (major,) = styles_of(article, "Major")
    assert major.bold and major.underline == styles.h2.underline
    (minor,) = styles_of(article, "Minor")
    assert minor.bold
    (small,) = styles_of(article, "Small")
    assert small.bold and small.italic


def test_preformatted_text_keeps_its_spaces_and_lines() -> None:
    html = "<pre>def grow(cell):\n    return  cell * 2\n\n# done</pre><p>after</p>"
    assert lines_of(html) == ["def grow(cell):", "    return  cell * 2", "", "# done", "", "after"]


def test_long_preformatted_lines_fold_at_the_edge_keeping_every_character() -> None:
    code = "x = [" + ", ".join(str(n) for n in range(40)) + "]"
    lines = lines_of(f"<pre>{code}</pre>", width=40)
    assert all(len(line) <= 40 for line in lines)
    assert "".join(lines) == code
    assert len(lines[0]) == 40


def test_blockquote_is_indented_with_a_bar_and_italic() -> None:
    html = "<p>said:</p><blockquote><p>Cells are small.</p><p>Very.</p></blockquote><p>end</p>"
    article = render_body(html, BASE)
    assert lines_of(html) == ["said:", "", "│ Cells are small.", "│", "│ Very.", "", "end"]
    assert all(style.italic for style in styles_of(article, "Cells are small."))


def test_wrapped_quote_lines_keep_the_bar() -> None:
    words = " ".join(["organoid"] * 30)
    lines = lines_of(f"<blockquote><p>{words}</p></blockquote>", width=40)
    assert len(lines) > 2
    assert all(line.startswith("│ ") for line in lines)
    assert all(len(line) <= 40 for line in lines)


def test_pull_quote_with_attribution() -> None:
    html = (
        '<figure class="wp-block-pullquote"><blockquote><p>We can grow a kidney.</p>'
        "<cite>Dr. Ines Invented</cite></blockquote></figure>"
    )
    lines = lines_of(html)
    assert lines == ["┃ We can grow a kidney.", "┃ — Dr. Ines Invented"]


def test_quote_block_attribution() -> None:
    html = '<blockquote class="wp-block-quote"><p>Said.</p><cite>Someone</cite></blockquote>'
    assert lines_of(html) == ["│ Said.", "│ — Someone"]


def test_inline_cite_is_just_italic() -> None:
    article = render_body("<p>From <cite>Nature</cite> today</p>", BASE)
    assert lines_of("<p>From <cite>Nature</cite> today</p>") == ["From Nature today"]
    assert all(style.italic for style in styles_of(article, "Nature"))


def test_unordered_lists_nest_with_indentation() -> None:
    html = (
        "<ul><li>one</li><li>two<ul><li>inner</li>"
        "<li>deeper<ul><li>third</li></ul></li></ul></li></ul>"
    )
    assert lines_of(html) == ["• one", "• two", "  ◦ inner", "  ◦ deeper", "    ▪ third"]


def test_wrapped_list_items_line_up_under_their_text() -> None:
    words = " ".join(["stemcell"] * 12)
    lines = lines_of(f"<ul><li>{words}</li></ul>", width=40)
    assert lines[0].startswith("• stemcell")
    assert all(line.startswith("  stemcell") for line in lines[1:])


def test_ordered_lists_honour_start_value_and_reversed() -> None:
    assert lines_of('<ol start="4"><li>d</li><li>e</li></ol>') == ["4. d", "5. e"]
    assert lines_of('<ol><li>a</li><li value="9">i</li><li>j</li></ol>') == [
        "1. a",
        "9. i",
        "10. j",
    ]
    assert lines_of("<ol reversed><li>c</li><li>b</li><li>a</li></ol>") == [
        "3. c",
        "2. b",
        "1. a",
    ]
    assert lines_of('<ol start="oops"><li>x</li></ol>') == ["1. x"]


def test_list_after_paragraph_is_separated() -> None:
    assert lines_of("<p>Topics:</p><ul><li>Kidney</li></ul><p>End</p>") == [
        "Topics:",
        "",
        "• Kidney",
        "",
        "End",
    ]


def test_definition_list() -> None:
    html = "<dl><dt>Organoid</dt><dd>A small grown organ.</dd></dl>"
    article = render_body(html, BASE)
    assert lines_of(html) == ["Organoid", "    A small grown organ."]
    assert all(style.bold for style in styles_of(article, "Organoid"))


def test_figure_shows_image_alt_with_caption_under_it() -> None:
    html = (
        '<p>See:</p><figure class="wp-block-image"><img src="/cells.jpg" alt="Kidney cells">'
        "<figcaption>Cells under the microscope.</figcaption></figure><p>after</p>"
    )
    assert lines_of(html) == [
        "See:",
        "",
        "[image: Kidney cells]",
        "Cells under the microscope.",
        "",
        "after",
    ]


def test_image_without_alt() -> None:
    assert lines_of('<p><img src="/a.png"> and <img alt="">.</p>') == ["[image] and [image]."]


def test_image_inside_a_link_carries_the_link() -> None:
    article = render_body('<a href="/full.jpg"><img alt="Full size"></a>', BASE)
    assert export(article).strip() == "[image: Full size][1]"
    assert article.links[0].url == "https://stemcell.keck.usc.edu/full.jpg"
    assert link_numbers_on_segments(article) == {1: "[image: Full size][1]"}


def test_table_with_header_row() -> None:
    html = (
        "<table><thead><tr><th>Organ</th><th>Cells</th></tr></thead>"
        "<tbody><tr><td>Kidney</td><td>12</td></tr><tr><td>Heart</td><td>7</td></tr></tbody>"
        "</table>"
    )
    article = render_body(html, BASE)
    lines = lines_of(html)
    assert lines[0].split() == ["Organ", "Cells"]
    assert set(lines[1]) == {"─"}
    assert lines[2].split() == ["Kidney", "12"]
    assert lines[3].split() == ["Heart", "7"]
    assert all(style.bold for style in styles_of(article, "Organ"))
    assert not any(style.bold for style in styles_of(article, "Kidney"))


def test_table_first_row_of_th_is_the_header_and_colspan_is_tolerated() -> None:
    html = (
        "<table><tr><th>A</th><th>B</th><th>C</th></tr>"
        '<tr><td colspan="2">wide</td><td>c</td></tr><tr><td colspan="99999">all</td></tr>'
        "</table>"
    )
    lines = lines_of(html)
    assert lines[0].split() == ["A", "B", "C"]
    assert lines[2].split() == ["wide", "c"]
    assert lines[3].split() == ["all"]


def test_wide_table_wraps_its_cells_within_the_width() -> None:
    long = " ".join(["regeneration"] * 12)
    html = f"<table><tr><td>{long}</td><td>{long}</td><td>{long}</td></tr></table>"
    text = export(render_body(html, BASE), width=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert text.count("regeneration") == 36


def test_text_around_tables_and_blocks_inside_cells() -> None:
    html = (
        "<p>before</p><table><tr><td><p>one</p><p>two</p></td><td><ul><li>x</li></ul></td>"
        "</tr></table><p>after</p>"
    )
    text = export(render_body(html, BASE))
    assert text.startswith("before\n\n")
    assert text.rstrip().endswith("\n\nafter")
    assert "one" in text and "two" in text and "• x" in text


def test_horizontal_rule() -> None:
    lines = lines_of("<p>a</p><hr><p>b</p>", width=40)
    assert lines == ["a", "", "─" * 40, "", "b"]


def test_iframe_becomes_a_numbered_video_link() -> None:
    html = (
        '<p>Watch:</p><figure class="wp-block-embed is-type-video">'
        '<div class="wp-block-embed__wrapper">'
        '<iframe title="Inside the lab" src="https://www.youtube.com/embed/abc123"></iframe>'
        "</div></figure>"
    )
    article = render_body(html, BASE)
    assert lines_of(html) == ["Watch:", "", "▶ Video: Inside the lab [1]"]
    assert article.links == [
        LinkTarget(1, "https://www.youtube.com/watch?v=abc123", "Inside the lab", True)
    ]


def test_video_element_lazy_iframe_and_embed_of_unknown_kind() -> None:
    html = (
        '<video controls><source src="/media/tour.mp4" type="video/mp4">fallback</video>'
        '<iframe src="about:blank" data-src="https://player.vimeo.com/video/9" title="Talk">'
        "</iframe>"
        '<iframe src="https://maps.example.org/embed?q=lab"></iframe>'
        "<iframe></iframe>"
    )
    article = render_body(html, BASE)
    assert lines_of(html) == [
        "▶ Video: stemcell.keck.usc.edu [1]",
        "",
        "▶ Video: Talk [2]",
        "",
        "▶ Embed: maps.example.org [3]",
    ]
    assert [link.url for link in article.links] == [
        "https://stemcell.keck.usc.edu/media/tour.mp4",
        "https://vimeo.com/9",
        "https://maps.example.org/embed?q=lab",
    ]


# -- links ------------------------------------------------------------------------------------


def test_links_are_numbered_in_reading_order_with_absolute_urls() -> None:
    html = (
        '<p><a href="https://example.org/paper">absolute</a>, '
        '<a href="/category/kidney/">root</a>, <a href="../other-post/">up</a>, '
        '<a href="same-dir">relative</a>, '
        '<a href="https://stemcell.keck.usc.edu/?p=4321">short</a>, '
        '<a href="?p=99">query</a>, <a href="//cdn.example.org/x.pdf">scheme</a>.</p>'
    )
    article = render_body(html, BASE)
    assert [(link.number, link.url, link.text) for link in article.links] == [
        (1, "https://example.org/paper", "absolute"),
        (2, "https://stemcell.keck.usc.edu/category/kidney/", "root"),
        (3, "https://stemcell.keck.usc.edu/2025/09/other-post/", "up"),
        (4, "https://stemcell.keck.usc.edu/2025/09/kidney-organoids/same-dir", "relative"),
        (5, "https://stemcell.keck.usc.edu/?p=4321", "short"),
        (6, "https://stemcell.keck.usc.edu/2025/09/kidney-organoids/?p=99", "query"),
        (7, "https://cdn.example.org/x.pdf", "scheme"),
    ]
    assert all(link.followable for link in article.links)
    assert lines_of(html) == [
        "absolute[1], root[2], up[3], relative[4], short[5], query[6], scheme[7]."
    ]


def test_query_ampersands_and_entity_lookalikes_in_urls_are_kept() -> None:
    html = '<a href="https://example.org/s?a=1&amp;reg=2&copy=3&amp;amp;x">q</a>'
    (link,) = render_body(html, BASE).links
    assert link.url == "https://example.org/s?a=1&reg=2&copy=3&amp;x"


def test_the_same_url_twice_gets_two_numbers() -> None:
    html = '<p><a href="/x/">one</a> and <a href="/x/">again</a></p>'
    article = render_body(html, BASE)
    assert [link.number for link in article.links] == [1, 2]
    assert article.links[0].url == article.links[1].url


def test_links_to_a_part_of_this_page_are_numbered_and_bare_ones_are_not() -> None:
    html = (
        '<p><a href="#section">jump</a> <a href="">empty</a> <a>no href</a> <a href="#">hash</a> '
        f'<a href="{BASE}#top">top</a> <a href="/next/">real</a></p>'
    )
    article = render_body(html, BASE)
    assert lines_of(html) == ["jump[1] empty no href hash top[2] real[3]"]
    assert [link.url for link in article.links] == [
        BASE + "#section",
        BASE + "#top",
        "https://stemcell.keck.usc.edu/next/",
    ]


def test_an_element_id_marks_the_text_that_follows_it() -> None:
    from rich.console import Console

    html = '<p>Intro</p><h2 id="part">Part two</h2><p><a name="old"></a>Old style</p>'
    article = render_body(html, BASE)
    console = Console(width=60)
    found: dict[str, str] = {}
    for block in article.renderables:
        for line in console.render_lines(block, pad=False):
            for segment in line:
                meta = segment.style.meta if segment.style is not None else {}
                if "anchor" in meta:
                    found.setdefault(meta["anchor"], segment.text)
    assert found == {"part": "Part two", "old": "Old style"}


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(document.cookie)",
        " JavaScript:void(0)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "mailto:press@example.org",
    ],
)
def test_unsafe_schemes_are_shown_but_never_followable(href: str) -> None:
    article = render_body(
        f'<p><a href="{href}">click</a> and <a href="https://e.org/">ok</a></p>', BASE
    )
    first, second = article.links
    assert not first.followable
    assert first.url == href.strip()
    assert second.followable
    output = ansi(article)
    assert OSC8.findall(output) and set(OSC8.findall(output)) <= {"", "https://e.org/"}
    assert link_numbers_on_segments(article) == {1: "click[1]", 2: "ok[2]"}


def test_very_long_unfollowable_urls_are_shortened() -> None:
    payload = "A" * 5000
    (link,) = render_body(f'<a href="data:image/png;base64,{payload}">img</a>', BASE).links
    assert not link.followable
    assert len(link.url) < 300


def test_link_text_and_marker_carry_the_link_number_in_their_meta() -> None:
    html = '<p>Read <a href="/a/">the <b>first</b> study</a> and <a href="/b/">the second</a>.</p>'
    article = render_body(html, BASE)
    assert link_numbers_on_segments(article) == {1: "the first study[1]", 2: "the second[2]"}
    assert article.links[0].text == "the first study"
    (first,) = styles_of(article, "first")
    assert first.bold and first.underline


def test_http_links_are_osc8_hyperlinks() -> None:
    article = render_body('<p><a href="/news/">news</a></p>', BASE)
    output = ansi(article)
    assert "https://stemcell.keck.usc.edu/news/" in OSC8.findall(output)


def test_a_space_after_a_link_is_not_part_of_it() -> None:
    article = render_body('<p><a href="/a/">linked </a>plain</p>', BASE)
    assert lines_of('<p><a href="/a/">linked </a>plain</p>') == ["linked[1] plain"]
    assert link_numbers_on_segments(article) == {1: "linked[1]"}


def test_an_empty_link_still_gets_its_number() -> None:
    article = render_body('<p>see <a href="/x/"></a> here</p>', BASE)
    assert export(article).strip() == "see [1] here"
    assert article.links == [LinkTarget(1, "https://stemcell.keck.usc.edu/x/", "", True)]


def test_a_link_around_blocks() -> None:
    html = '<a href="/card/"><h3>Card title</h3><p>Card text</p></a>'
    article = render_body(html, BASE)
    assert article.links[0].text == "Card title Card text"
    assert "Card text[1]" in export(article)


# -- robustness -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    ["div", "blockquote", "ul", "ol", "li", "b", "em", "span", "table", "td", "pre", "dl",
     "dd", "p", "figure", "section", "sup", "q", "h2", "a href='/deep/'"],
)  # fmt: skip
def test_a_thousand_levels_of_nesting(tag: str) -> None:
    name = tag.split()[0]
    html = f"<{tag}>level " * 1000 + f"</{name}>" * 1000
    article = render_body(html, BASE)
    text = export(article)
    assert text.count("level") == 1000


def test_a_thousand_unclosed_list_items_and_quotes() -> None:
    html = "<ul><li><blockquote>deep " * 1000
    text = export(render_body(html, BASE))
    assert text.count("deep") == 1000
    assert all(len(line) <= 80 for line in text.splitlines())


def test_a_megabyte_of_text() -> None:
    html = "<p>" + "cell " * 200_000 + "</p>"
    (block,) = render_body(html, BASE).renderables
    assert str(block).count("cell") == 200_000


@pytest.mark.parametrize(
    "html",
    ["", "   ", "\x00", "plain words, no markup", "<", "<<>>", "</p></div>", "<p", "<a href=",
     "<!-- unclosed", "<![CDATA[x]]>", "<table><td>", "<frameset><frame></frameset>",
     "\ud800 lone surrogate", "<html><head><title>t</title></head></html>"],
)  # fmt: skip
def test_odd_inputs_render_without_error(html: str) -> None:
    article = render_body(html, BASE)
    text = export(article)
    assert UNSAFE_PATTERN.search(text) is None
    assert FALLBACK_NOTE not in text


def test_unclosed_tags_still_render() -> None:
    html = "<p>one <b>bold <i>both<p>two<ul><li>item<li>next"
    assert lines_of(html) == ["one bold both", "", "two", "", "• item", "• next"]


# -- styles -----------------------------------------------------------------------------------


def test_plain_styles_have_no_colours_but_keep_emphasis() -> None:
    plain = ArticleStyles.plain()
    for name, style in vars(plain).items():
        assert style.color is None and style.bgcolor is None, name
    assert plain.title.bold
    assert plain.link.underline


# -- the whole post ---------------------------------------------------------------------------


def _post(**changes: object) -> Post:
    fields: dict[str, object] = {
        "id": 7,
        "url": BASE,
        "title": "Kidney organoids &amp; [bold]you[/bold]",
        "author": "Ada Inventa",
        "published": datetime(2025, 9, 3, 17, 30, tzinfo=UTC),
        "reading_minutes": 5,
        "sections": ("News", "Kidney"),
        "tags": ("organoids",),
        "content": '<p>Body with <a href="/lab/">the lab</a>.</p>',
        "links": (
            Link(LinkKind.OLDER, "https://stemcell.keck.usc.edu/2025/08/older/", "An older post"),
            Link(LinkKind.NEWER, "/2025/10/newer/", "A newer post"),
            Link(LinkKind.READ_NEXT, "https://stemcell.keck.usc.edu/related/", "Related work"),
            Link(LinkKind.TOPIC, "https://stemcell.keck.usc.edu/category/kidney/", "Kidney"),
            Link(LinkKind.TOPIC, "https://stemcell.keck.usc.edu/category/brain/", "Brain"),
            Link(LinkKind.INLINE, "https://stemcell.keck.usc.edu/lab/", "the lab"),
        ),
    }
    fields.update(changes)
    return Post(**fields)  # type: ignore[arg-type]


def test_post_header_navigation_body_and_topics() -> None:
    article = render_post(_post())
    lines = [line.rstrip() for line in export(article).splitlines()]
    assert lines == [
        "Kidney organoids &amp; [bold]you[/bold]",
        "By Ada Inventa · Sep 3, 2025 · 5 min read",
        "News · Kidney · organoids",
        "",
        "n  Newer: A newer post",
        "p  Older: An older post",
        "r  Read this next: Related work",
        "",
        "Body with the lab[1].",
        "",
        "Read more about: Kidney[2], Brain[3]",
    ]
    # The body's links and the topics under it are numbered; the navigation has its keys.
    assert [link.url for link in article.links] == [
        "https://stemcell.keck.usc.edu/lab/",
        "https://stemcell.keck.usc.edu/category/kidney/",
        "https://stemcell.keck.usc.edu/category/brain/",
    ]
    assert [link.text for link in article.links] == ["the lab", "Kidney", "Brain"]
    assert link_numbers_on_segments(article) == {1: "the lab[1]", 2: "Kidney[2]", 3: "Brain[3]"}
    output = ansi(article)
    assert "https://stemcell.keck.usc.edu/2025/10/newer/" in OSC8.findall(output)


def test_missing_navigation_and_metadata_are_omitted() -> None:
    post = _post(
        author="",
        published=None,
        reading_minutes=None,
        sections=(),
        tags=(),
        links=(Link(LinkKind.OLDER, "/older/", "Only older"),),
    )
    lines = [line.rstrip() for line in export(render_post(post)).splitlines()]
    assert lines == [
        "Kidney organoids &amp; [bold]you[/bold]",
        "",
        "p  Older: Only older",
        "",
        "Body with the lab[1].",
    ]


def test_posts_by_date_are_named_where_the_page_has_no_post_navigation() -> None:
    # The screen passes the posts before and after by date (n and p go there when the page
    # has no post navigation): each is named, said to be by date, only where the page's own
    # link of its kind is missing.
    post = _post(sections=(), tags=(), links=(Link(LinkKind.OLDER, "/older/", "Only older"),))
    by_date = (
        Link(LinkKind.NEWER, "/2025/10/by-date/", "Newer by its date"),
        Link(LinkKind.OLDER, "/2025/08/by-date/", "Older by its date"),
    )
    article = render_post(post, by_date=by_date)
    lines = [line.rstrip() for line in export(article).splitlines()]
    assert lines[3:6] == [
        "n  Newer by date: Newer by its date",
        "p  Older: Only older",
        "",
    ], lines
    assert "https://stemcell.keck.usc.edu/2025/10/by-date/" in OSC8.findall(ansi(article))


def test_a_long_navigation_title_wraps_under_itself() -> None:
    older = "Open house at the regeneration building on May 30"
    post = _post(links=(Link(LinkKind.OLDER, "/older/", older),))
    lines = [line.rstrip() for line in export(render_post(post), width=40).splitlines()]
    start = lines.index("p  Older: Open house at the regeneration")
    assert lines[start + 1] == "          building on May 30"
    # The title is still one link, with its hyperlink on every piece of it.
    output = ansi(render_post(post), width=40)
    assert "https://stemcell.keck.usc.edu/older/" in OSC8.findall(output)


def test_a_huge_navigation_title_is_cut() -> None:
    # A hostile feed's 5,000-character title, named on its neighbour's "p  Older:" line,
    # wrapped over 90 rows there and pushed the body off the screen.
    older = "Long " + "abcdefghij " * 500
    post = _post(links=(Link(LinkKind.OLDER, "/older/", older),))
    lines = [line.rstrip() for line in export(render_post(post), width=60).splitlines()]
    start = next(n for n, line in enumerate(lines) if line.startswith("p  Older: Long"))
    end = lines.index("", start)  # the blank line after the navigation
    assert end - start <= 4, lines[start:end]
    assert lines[end - 1].endswith("…"), lines[start:end]
    assert lines[0] == "Kidney organoids &amp; [bold]you[/bold]"  # its own title untouched
    assert "https://stemcell.keck.usc.edu/older/" in OSC8.findall(ansi(render_post(post)))


def _older_line(older: str, width: int = 60) -> list[str]:
    """The rows of the "p  Older:" line naming ``older``."""
    post = _post(links=(Link(LinkKind.OLDER, "/older/", older),))
    lines = [line.rstrip() for line in export(render_post(post), width=width).splitlines()]
    start = next(n for n, line in enumerate(lines) if line.startswith("p  Older: "))
    return lines[start : lines.index("", start)]


def test_a_huge_navigation_title_is_cut_by_cells() -> None:
    # 160 CJK characters are 320 cells: seven rows at 60 columns, not four.
    rows = _older_line("幹細胞" * 200)
    assert len(rows) <= 4, rows
    assert rows[-1].endswith("…"), rows


@pytest.mark.parametrize(
    ("older", "kept"),
    [
        # The cut once fell between the e and its combining acute accent, and dropped it.
        ("a" * 158 + "e\u0301" + "x" * 50, "e\u0301…"),
        # ... or inside a ZWJ sequence (woman, ZWJ, microscope), leaving a stray joiner. The
        # joiner is dropped with the controls now (terminals disagree on a joined emoji's
        # width: core/text), so the two pictures are cut apart as any two characters are.
        ("a" * 157 + "\U0001f469\u200d\U0001f52c" + "x" * 50, "a\U0001f469…"),
        ("a" * 158 + "\U0001f469\u200d\U0001f52c" + "x" * 50, "a…"),
        # Nor between a flag's two regional indicators (France, then Germany cut whole).
        (
            "a" * 156 + "\U0001f1eb\U0001f1f7\U0001f1e9\U0001f1ea" + "x" * 50,
            "a\U0001f1eb\U0001f1f7…",
        ),
    ],
    ids=["accent", "zwj-sequence-kept", "zwj-sequence-left-out", "flag"],
)
def test_a_navigation_title_is_cut_between_grapheme_clusters(older: str, kept: str) -> None:
    shown = "".join(row.removeprefix("p  Older: ").strip() for row in _older_line(older))
    assert shown.endswith(kept), shown[-8:]


def test_excerpt_is_shown_with_a_note_when_the_body_is_missing() -> None:
    post = _post(content="", excerpt="<p>A short <em>summary</em> of the work.</p>", links=())
    lines = [line.rstrip() for line in export(render_post(post)).splitlines()]
    assert lines[-3:] == [EXCERPT_NOTE, "", "A short summary of the work."]
    article = render_post(post)
    assert all(style.dim for style in styles_of(article, "Only the excerpt"))
    assert not any(style.dim for style in styles_of(article, "A short"))


def test_a_post_with_no_text_says_so() -> None:
    post = _post(content="", excerpt="", links=())
    assert export(render_post(post)).rstrip().endswith(EMPTY_NOTE)


def test_render_text_lists_the_numbered_links_and_has_no_escapes() -> None:
    post = _post(
        content='<p><a href="/a/">first</a> <a href="mailto:x@example.org">mail</a> '
        '<a href="https://example.org/a/very/long/address/that/goes/on/and/on/past/the/edge">long</a></p>'
    )
    text = render_text(post, width=60)
    assert "\x1b" not in text
    lines = text.splitlines()
    links_at = lines.index("Links")
    assert lines[links_at + 1 :] == [
        "[1] https://stemcell.keck.usc.edu/a/",
        "[2] mailto:x@example.org",
        "[3] https://example.org/a/very/long/address/that/goes/on/and/on/past/the/edge",
        "[4] https://stemcell.keck.usc.edu/category/kidney/",  # "Read more about", numbered too
        "[5] https://stemcell.keck.usc.edu/category/brain/",
    ]
    assert lines[0] == "Kidney organoids &amp; [bold]you[/bold]"
    assert all(line == line.rstrip() for line in lines)


def test_render_text_without_links_has_no_links_list() -> None:
    assert "Links" not in render_text(_post(content="<p>No links here.</p>", links=()))


def test_render_text_in_colour_uses_sgr_and_osc8() -> None:
    text = render_text(_post(), width=80, color=True)
    assert "\x1b[" in text
    assert "https://stemcell.keck.usc.edu/lab/" in OSC8.findall(text)


def test_the_safety_net_shows_bare_text_when_layout_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: object, html: str) -> None:
        raise RuntimeError("a layout bug")

    monkeypatch.setattr("reader.render.body.BodyWriter.write", fail)
    article = render_body("<p>Kidney &amp; <b>heart</b>\x1b[2J</p>", BASE)
    assert article.links == []
    lines = [line.rstrip() for line in export(article).splitlines()]
    assert lines == [FALLBACK_NOTE, "", "Kidney & heart [2J"]


@pytest.mark.parametrize(
    ("player", "page"),
    [
        ("https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed", "watch?v=dQw4w9WgXcQ"),
        (
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90",
            "watch?v=dQw4w9WgXcQ&t=90s",
        ),
        ("https://player.vimeo.com/video/76979871?h=8272103f6e", "vimeo.com/76979871"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "watch?v=dQw4w9WgXcQ"),
        ("https://maps.example.org/embed/abc", "maps.example.org/embed/abc"),
    ],
)
def test_video_players_link_to_their_watch_page(player: str, page: str) -> None:
    html = f'<iframe title="A film" src="{player}"></iframe>'
    (link,) = render_body(html, BASE).links
    assert link.url.endswith(page) and link.text == "A film"


@pytest.mark.parametrize("width", range(len("n/p newer/older"), 90))
def test_key_hints_keep_each_key_with_its_label(width: int) -> None:
    hints = ["j/k move", "enter opens", "n/p newer/older", "r read next", "tab links", "? keys"]
    block = KeptTogether([Text(hint) for hint in hints], Text(" · "))
    lines = [line.rstrip() for line in export([block], width=width).splitlines()]
    assert [piece for line in lines for piece in line.split(" · ")] == hints
    assert all(len(line) <= width for line in lines)
