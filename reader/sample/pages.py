"""HTML pages of the sample site, in the markup of a classic WordPress theme.

An article page carries what the reader extracts (``article.post``, ``.entry-title``,
``.byline``, ``time.published``, ``.reading-time``, ``aside.read-this-next``,
``.entry-content``, ``a[rel~=category]``, ``a[rel=tag]``, ``nav.post-navigation`` with
``a[rel=prev]`` and ``a[rel=next]``) inside the noise a real page has: a header menu, a
sidebar with recent posts, a footer, scripts and styles. Output holds ``{site}`` placeholders.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from reader.sample import markup
from reader.sample.site import SITE, SamplePost, Site, Term
from reader.sample.taxonomy import SECTIONS, TOPICS

_STYLE = """
body{margin:0;font:16px/1.6 Georgia,serif;color:#222;background:#fdfcf9}
.site-header{background:#990000;color:#fff;padding:1rem 2rem}
.site-title a{color:#fff;text-decoration:none;font-weight:bold}
.main-navigation ul{list-style:none;margin:0;padding:0;display:flex;gap:1.5rem}
.main-navigation .sub-menu{display:none;position:absolute}
.site-content{display:grid;grid-template-columns:1fr 18rem;gap:2rem;padding:2rem}
.read-this-next{border-left:4px solid #ffcc00;padding:0 1rem;margin:1rem 0}
.screen-reader-text{position:absolute;clip:rect(1px,1px,1px,1px);height:1px;width:1px}
.wp-block-pullquote{border-top:4px solid;border-bottom:4px solid;text-align:center}
"""

_SCRIPT_SETTINGS = (
    '<script id="sample-theme-js-extra">\n'
    'var sampleTheme = {"menuToggle":"Menu","expand":"Expand child menu",'
    '"collapse":"Collapse child menu","ajaxurl":"{site}/wp-admin/admin-ajax.php"};\n'
    "</script>"
)


def article_page(site: Site, post: SamplePost, *, rest_api: bool) -> str:
    """The page of one post, as a classic WordPress theme renders it."""
    author = site.author_of(post)
    categories, tags = site.post_terms(post)
    title = post.rendered_title
    head = [
        f'<meta name="description" content="{_attribute(markup.teaser(post.body))}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:url" content="{post.permalink}">',
    ]
    if post.image:
        head.append(f'<meta property="og:image" content="{post.image.url}">')
    if rest_api:
        head.append(
            f'<link rel="alternate" title="JSON" type="application/json" '
            f'href="{SITE}/wp-json/wp/v2/posts/{post.id}">'
        )
    head += [
        f'<link rel="canonical" href="{post.permalink}">',
        f'<link rel="shortlink" href="{post.shortlink}">',
    ]
    body_class = (
        f"post-template-default single single-post postid-{post.id} single-format-{post.format}"
    )
    article = f"""<article id="post-{post.id}" class="{_post_classes(post, categories, tags)}">
	<header class="entry-header">
		<h1 class="entry-title">{title}</h1>
		<div class="entry-meta">
			<span class="byline">By <span class="author vcard"><a class="url fn n" rel="author"
				href="{SITE}{author.path}">{escape(author.name)}</a></span></span>
			<span class="posted-on">Posted {_times(post)}</span>
			<span class="reading-time">Reading Time {_minutes(post.reading_minutes)}</span>
		</div><!-- .entry-meta -->
	</header><!-- .entry-header -->
{_read_this_next(site.read_this_next(post))}
	<div class="entry-content">
{post.body}
	</div><!-- .entry-content -->

	<footer class="entry-footer">{_footer_links(categories, tags)}</footer><!-- .entry-footer -->
</article><!-- #post-{post.id} -->

{_post_navigation(site.older(post), site.newer(post))}
"""
    return _document(
        site,
        title=f"{title} &#8211; {site.title}",
        head=head,
        body_class=body_class,
        main=article,
        rest_api=rest_api,
    )


def listing_page(
    site: Site,
    posts: Sequence[SamplePost],
    *,
    page: int,
    pages: int,
    path: str,
    body_class: str = "home blog",
    rest_path: str = "",
    heading: str = "",
    description: str = "",
    feed_path: str = "",
    feed_title: str = "",
    rest_api: bool,
) -> str:
    """A home, category, tag or author page: a list of posts with pagination.

    ``body_class`` and the REST link of the term or author (``rest_path``) are what WordPress
    marks a list with, which tells it from one post's page.
    """
    head = []
    if rest_api and rest_path:
        head.append(f'<link rel="alternate" type="application/json" href="{SITE}{rest_path}">')
    if feed_path:
        head.append(
            f'<link rel="alternate" type="application/rss+xml" title="{site.title} &raquo; '
            f'{feed_title}" href="{SITE}{feed_path}">'
        )
    header = ""
    if heading:
        about = (
            f'<div class="archive-description"><p>{description}</p></div>' if description else ""
        )
        header = (
            f'<header class="page-header"><h1 class="page-title">{heading}</h1>{about}</header>'
        )
    entries = "\n".join(_summary(site, post) for post in posts)
    main = f"{header}\n{entries}\n{_pagination(path, page, pages)}\n"
    title = f"{heading} &#8211; {site.title}" if heading else f"{site.title} &#8211; {site.tagline}"
    if page > 1:
        title = f"{heading or site.title} &#8211; Page {page} &#8211; {site.title}"
    return _document(
        site,
        title=title,
        head=head,
        body_class=body_class,
        main=main,
        rest_api=rest_api,
    )


def not_found_page(site: Site, *, rest_api: bool) -> str:
    """The small page every unknown address gets."""
    main = """<section class="error-404 not-found">
	<header class="page-header"><h1 class="page-title">Page not found</h1></header>
	<div class="page-content">
		<p>Nothing lives at this address. The latest stories are on the home page, and the
		search box on the right looks through every post.</p>
	</div>
</section>
"""
    return _document(
        site,
        title=f"Page not found &#8211; {site.title}",
        head=['<meta name="robots" content="noindex, follow">'],
        body_class="error404",
        main=main,
        rest_api=rest_api,
    )


# -- the article's parts -------------------------------------------------------------------


def _post_classes(post: SamplePost, categories: list[Term], tags: list[Term]) -> str:
    classes = [f"post-{post.id}", "post", "type-post", "status-publish", f"format-{post.format}"]
    if post.image:
        classes.append("has-post-thumbnail")
    classes.append("hentry")
    classes += [f"category-{term.slug}" for term in categories]
    classes += [f"tag-{term.slug}" for term in tags]
    return " ".join(classes)


def _times(post: SamplePost) -> str:
    published = markup.long_date(post.published)
    if post.modified == post.published:
        return (
            f'<time class="entry-date published updated" '
            f'datetime="{markup.iso_date(post.published)}">{published}</time>'
        )
    return (
        f'<time class="entry-date published" datetime="{markup.iso_date(post.published)}">'
        f'{published}</time><time class="updated" datetime="{markup.iso_date(post.modified)}">'
        f"{markup.long_date(post.modified)}</time>"
    )


def _minutes(minutes: int) -> str:
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def _read_this_next(related: SamplePost | None) -> str:
    if related is None:
        return ""
    image = ""
    if related.image:
        image = (
            f'<a href="{related.permalink}" class="read-this-next-image"><img loading="lazy" '
            f'width="300" height="200" src="{related.image.url}" '
            f'alt="{_attribute(related.image.alt)}"></a>'
        )
    return f"""	<aside class="read-this-next">
		<h2 class="read-this-next-heading">Read this next</h2>
		{image}
		<h3 class="read-this-next-title">
			<a href="{related.permalink}">{related.rendered_title}</a></h3>
		<p class="read-this-next-caption">{related.teaser}</p>
	</aside>"""


def _footer_links(categories: list[Term], tags: list[Term]) -> str:
    by_name = sorted(categories, key=lambda term: term.name)
    links = ", ".join(
        f'<a href="{SITE}{term.path}" rel="category tag">{term.name}</a>' for term in by_name
    )
    html = f'<span class="cat-links">Read more about: {links}</span>'
    if tags:
        tagged = ", ".join(
            f'<a href="{SITE}{term.path}" rel="tag">{term.name}</a>' for term in tags
        )
        html += f'<span class="tags-links">Tagged {tagged}</span>'
    return html


def _post_navigation(older: SamplePost | None, newer: SamplePost | None) -> str:
    links = ""
    if older:
        links += (
            f'<div class="nav-previous"><a href="{older.permalink}" rel="prev">'
            '<span class="meta-nav" aria-hidden="true">Previous</span> '
            '<span class="screen-reader-text">Previous post:</span> <br/>'
            f'<span class="post-title">{older.rendered_title}</span></a></div>'
        )
    if newer:
        links += (
            f'<div class="nav-next"><a href="{newer.permalink}" rel="next">'
            '<span class="meta-nav" aria-hidden="true">Next</span> '
            '<span class="screen-reader-text">Next post:</span> <br/>'
            f'<span class="post-title">{newer.rendered_title}</span></a></div>'
        )
    return (
        '<nav class="navigation post-navigation" aria-label="Posts">\n'
        '\t<h2 class="screen-reader-text">Post navigation</h2>\n'
        f'\t<div class="nav-links">{links}</div>\n</nav>'
    )


# -- listings ------------------------------------------------------------------------------


def _summary(site: Site, post: SamplePost) -> str:
    author = site.author_of(post)
    words, cut = markup.excerpt_words(post.body)
    excerpt = " ".join(words) + (" [&hellip;]" if cut else "")
    classes = f"post-{post.id} post type-post status-publish hentry"
    return f"""<article id="post-{post.id}" class="{classes}">
	<header class="entry-header">
		<h2 class="entry-title">
			<a href="{post.permalink}" rel="bookmark">{post.rendered_title}</a></h2>
		<div class="entry-meta"><span class="posted-on">{_times(post)}</span>
			<span class="byline">by <a href="{SITE}{author.path}">{escape(author.name)}</a></span>
		</div>
	</header>
	<div class="entry-summary"><p>{excerpt}</p></div>
</article>"""


def _pagination(path: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""

    def href(number: int) -> str:
        return f"{SITE}{path}" if number == 1 else f"{SITE}{path}page/{number}/"

    parts = []
    if page > 1:
        parts.append(f'<a class="prev page-numbers" href="{href(page - 1)}">Previous</a>')
    for number in sorted({1, page - 1, page, page + 1, pages}):
        if 1 <= number <= pages:
            if number == page:
                parts.append(
                    f'<span aria-current="page" class="page-numbers current">{number}</span>'
                )
            else:
                parts.append(f'<a class="page-numbers" href="{href(number)}">{number}</a>')
    if page < pages:
        parts.append(f'<a class="next page-numbers" href="{href(page + 1)}">Next</a>')
    return (
        '<nav class="navigation pagination" aria-label="Posts pagination">'
        '<h2 class="screen-reader-text">Posts pagination</h2>'
        f'<div class="nav-links">{" ".join(parts)}</div></nav>'
    )


# -- the chrome ----------------------------------------------------------------------------


def _document(
    site: Site, *, title: str, head: list[str], body_class: str, main: str, rest_api: bool
) -> str:
    api = f'<link rel="https://api.w.org/" href="{SITE}/wp-json/">\n' if rest_api else ""
    extra = "\n".join(head)
    return f"""<!DOCTYPE html>
<html lang="{site.language}">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="alternate" type="application/rss+xml" title="{site.title} &raquo; Feed"
	href="{SITE}/feed/">
{api}<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{SITE}/xmlrpc.php?rsd">
{extra}
<link rel="stylesheet" id="sample-theme-style-css" media="all"
	href="{SITE}/wp-content/themes/sample-theme/style.css?ver=2.4.1">
<style id="sample-theme-inline-css">{_STYLE}</style>
{_SCRIPT_SETTINGS}
</head>

<body class="{body_class}">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<div id="page" class="site">
{_masthead(site)}
	<div id="content" class="site-content">
		<div id="primary" class="content-area">
			<main id="main" class="site-main">
{main}
			</main><!-- #main -->
		</div><!-- #primary -->
{_sidebar(site)}
	</div><!-- #content -->
{_colophon(site)}
</div><!-- #page -->
<script id="sample-theme-navigation-js"
	src="{SITE}/wp-content/themes/sample-theme/js/navigation.js?ver=2.4.1"></script>
<script>document.body.classList.add("js");</script>
</body>
</html>
"""


def _masthead(site: Site) -> str:
    sections = "".join(
        f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
        f'<a href="{SITE}{term.path}">{term.name}</a></li>'
        for term in SECTIONS
    )
    topics = "".join(
        f'<li class="menu-item"><a href="{SITE}{term.path}">{term.name}</a></li>' for term in TOPICS
    )
    return f"""	<header id="masthead" class="site-header">
		<div class="site-branding">
			<p class="site-title"><a href="{SITE}/" rel="home">{escape(site.title)}</a></p>
			<p class="site-description">{escape(site.tagline)}</p>
		</div><!-- .site-branding -->
		<nav id="site-navigation" class="main-navigation" aria-label="Primary menu">
			<button class="menu-toggle" aria-controls="primary-menu"
				aria-expanded="false">Menu</button>
			<ul id="primary-menu" class="menu">
				<li class="menu-item"><a href="{SITE}/">Home</a></li>
				<li class="menu-item menu-item-has-children">
					<a href="{SITE}/category/news/">News &amp; Events</a>
					<ul class="sub-menu">{sections}</ul></li>
				<li class="menu-item menu-item-has-children"><a href="#">Topics</a>
					<ul class="sub-menu">{topics}</ul></li>
				<li class="menu-item"><a href="https://example.org/give">Give</a></li>
			</ul>
		</nav><!-- #site-navigation -->
	</header><!-- #masthead -->"""


def _sidebar(site: Site) -> str:
    recent = "".join(
        f'<li><a href="{post.permalink}">{post.rendered_title}</a></li>'
        for post in site.posts()[:5]
    )
    topics = "".join(
        f'<li class="cat-item cat-item-{term.id}"><a href="{SITE}{term.path}">{term.name}</a> '
        f"({len(site.posts_in(term))})</li>"
        for term in TOPICS
    )
    return f"""		<aside id="secondary" class="widget-area">
			<section id="search-2" class="widget widget_search">
				<form role="search" method="get" class="search-form" action="{SITE}/">
				<label><span class="screen-reader-text">Search for:</span>
					<input type="search" class="search-field" placeholder="Search &hellip;" value=""
						name="s"></label>
				<input type="submit" class="search-submit" value="Search"></form></section>
			<section id="recent-posts-2" class="widget widget_recent_entries">
				<h2 class="widget-title">Recent news</h2><ul>{recent}</ul></section>
			<section id="categories-2" class="widget widget_categories">
				<h2 class="widget-title">Topics</h2><ul>{topics}</ul></section>
			<section id="text-3" class="widget widget_text">
				<h2 class="widget-title">Stay in touch</h2><div class="textwidget">
				<p>Follow the <a href="{SITE}/feed/">news feed</a> or write to
				<a href="mailto:news@example.org">news@example.org</a>.</p></div></section>
		</aside><!-- #secondary -->"""


def _colophon(site: Site) -> str:
    newest = site.posts()[0].published.year if site.posts() else site.changed_at.year
    return f"""	<footer id="colophon" class="site-footer">
		<div class="site-info">
			<p>{escape(site.title)} &middot; 1420 Alder Street &middot; an invented institute
				for testing a news reader</p>
			<p><a href="https://example.org/privacy">Privacy</a> |
				<a href="https://example.org/accessibility">Accessibility</a> | &copy; {newest}</p>
		</div><!-- .site-info -->
	</footer><!-- #colophon -->"""


def _attribute(text: str) -> str:
    """Text (which may hold entities already) made safe for a double-quoted attribute."""
    return text.replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
