"""Large invented sites for benchmarks: thousands of realistic posts, made in a second or two.

:func:`generate_site` reuses the sample site's sections, topics, tags and authors and composes
each body (a few KB) from a pool of sentences written for the purpose, with headings, lists,
the odd table or video, and links back to earlier posts. The same ``n_posts`` and ``seed``
always give the same site.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from functools import cache

from reader.sample import markup, taxonomy
from reader.sample.draft import pullquote, table, video
from reader.sample.site import SITE, Image, SamplePost, Site, slugify

_START = datetime(2016, 1, 4, 16, 0, tzinfo=UTC)
_END = datetime(2026, 10, 30, 17, 0, tzinfo=UTC)

_SUBJECTS = (
    "Kidney organoids",
    "Blood stem cells",
    "Muscle stem cells",
    "Retinal organoids",
    "Hair follicle stem cells",
    "Zebrafish hearts",
    "Brain organoids",
    "Leukemia cells",
    "Lab-grown airways",
    "Cartilage cells",
    "Skin stem cells",
    "Old bone marrow",
    "Tumour cells",
    "Corneal stem cells",
    "Nerve cells",
    "Gut organoids",
)
_FINDINGS = (
    "keep time with a hidden clock",
    "listen to their neighbours",
    "remember an old injury",
    "take cues from fat",
    "switch off when they age",
    "borrow a trick from the embryo",
    "can't repair without the right signal",
    "hide from treatment & survive",
    "grow their own blood vessels",
    "respond to a change of diet",
    'need a "quiet" phase',
    "map out, one cell at a time",
    "rebuild after injury",
    "lose their rhythm with age",
)
_OPENERS = (
    "Study finds",
    "New work shows",
    "A closer look:",
    "Researchers report",
    "In brief:",
)
_SENTENCES = (
    "The team followed individual cells for several days as the tissue rebuilt itself.",
    "Most of the cells did nothing at all, which turned out to be the interesting part.",
    "Earlier studies had hinted at the effect, but none had measured it directly.",
    "The researchers grew the tissue from stem cells donated by healthy volunteers.",
    "When the signal was blocked, repair slowed to a crawl.",
    "Older animals showed the same pattern, only weaker.",
    "It's a result that raised as many questions as it answered.",
    '"We expected the opposite," said the study\'s first author.',
    "Single-cell sequencing showed which genes switched on first.",
    "The imaging core filmed the process on its light-sheet microscope.",
    "The effect held in organoids grown from three different donors.",
    "None of this is a treatment yet, the authors stress.",
    "A small grant paid for the first experiments, which took almost a year.",
    "The laboratory is now sharing its protocol through the organoid core.",
    "Mice that received the cells recovered faster than those that did not.",
    "The cells seemed to keep a record of where they had come from.",
    "Blocking the pathway in older tissue restored some of its lost function.",
    "The same gene turned up in a screen run by a neighbouring laboratory.",
    "Patients' samples will be needed to know whether the finding holds in people.",
    "Timing mattered more than the dose: the same signal helped early and harmed late.",
    "The work took five years and the patience of two graduate students.",
    "A collaboration with engineers made it possible to measure the forces involved.",
    "The tissue folded, stretched and settled into layers over about three weeks.",
    "Results from the fish and from human organoids pointed the same way.",
    "The finding could help explain why repair slows down with age.",
    "Several other groups have asked for the cell lines used in the study.",
    "A follow-up study will test whether the effect can be reversed.",
    "The team also found a second, weaker signal that works in the same direction.",
    "Those cells made up less than one percent of the tissue.",
    "Without the surrounding cells, the stem cells lost their way.",
    "Data from the study have been released for other researchers to use.",
    "The approach is cheaper and faster than the method it replaces.",
    "It is the first time the process has been watched in living human tissue.",
    "Some of the mice were followed for more than a year, with no sign of harm.",
    "The researchers caution that a dish is not a body.",
    "Funding came from public grants, a foundation and private donors.",
    "The cells divided more slowly, but their daughters were healthier.",
    "A graduate student noticed the effect while troubleshooting an unrelated experiment.",
    "Inflammation, it turned out, was both the problem and part of the solution.",
    "Each experiment was repeated in three separate batches of cells.",
)
_HEADINGS = (
    "What the team found",
    "How the study worked",
    "Why it matters",
    "What comes next",
    "A surprise in the data",
    "From the dish to the clinic",
    "Open questions",
    "Behind the study",
    "In numbers",
)
_LIST_ITEMS = (
    "a change in the timing of cell division",
    "fewer signs of damage",
    "a stronger response to injury",
    "genes for inflammation left switched on",
    "more mature connections between cells",
    "a thinner layer of supporting cells",
    "new blood vessels around the damaged area",
    "a return to the resting state",
)
_EXTERNAL = (
    "https://example.org/methods",
    "https://example.org/data-release",
    "https://example.org/lab-news",
    "https://example.org/preprint",
)
_WEIGHTS = {"news": 55, "events": 20, "videos": 15, "impact-reports-and-newsletters": 10}


@cache
def _texturized() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sentence pool and list items as WordPress would serve them, curled once."""
    return (
        tuple(markup.texturize(s) for s in _SENTENCES),
        tuple(markup.texturize(s) for s in _LIST_ITEMS),
    )


def generate_site(n_posts: int, seed: int = 0) -> Site:
    """An invented site of ``n_posts`` posts between 2016 and 2026, the same for the same seed."""
    rng = random.Random(seed)
    topics = [term.slug for term in taxonomy.TOPICS]
    tags = [term.slug for term in taxonomy.TAGS]
    authors = [author.slug for author in taxonomy.AUTHORS]
    sections = list(_WEIGHTS)
    weights = list(_WEIGHTS.values())
    step = (_END - _START) / max(n_posts, 1)
    taken: dict[str, int] = {}
    earlier: list[tuple[str, int]] = []
    posts = []
    for index in range(n_posts):
        post_id = 1000 + 3 * index
        published = _START + step * index + timedelta(minutes=rng.randrange(0, 240))
        published = published.replace(second=0, microsecond=0)
        section = rng.choices(sections, weights)[0]
        title = _title(rng, section)
        slug = slugify(title)
        taken[slug] = taken.get(slug, 0) + 1
        if taken[slug] > 1:
            slug = f"{slug}-{taken[slug]}"
        edited = rng.random() < 0.15
        post = SamplePost(
            id=post_id,
            slug=slug,
            title=title,
            author=rng.choice(authors),
            published=published,
            modified=published + timedelta(days=rng.randrange(1, 30)) if edited else published,
            section=section,
            topics=tuple(rng.sample(topics, rng.choice((1, 1, 2)))),
            tags=tuple(rng.sample(tags, rng.choice((0, 0, 1, 2)))),
            body=_body(rng, section, earlier),
            excerpt_only=rng.random() < 0.25,
            image=_image(rng, post_id, published) if rng.random() < 0.4 else None,
            format="video" if section == "videos" else "standard",
        )
        posts.append(post)
        earlier.append((post.path, post_id))
    return Site(
        title=taxonomy.TITLE,
        tagline=taxonomy.TAGLINE,
        terms=taxonomy.all_terms(),
        authors=taxonomy.AUTHORS,
        posts=posts,
    )


def _title(rng: random.Random, section: str) -> str:
    subject, finding = rng.choice(_SUBJECTS), rng.choice(_FINDINGS)
    if section == "videos":
        return f"Video: {subject} {finding}"
    if section == "events":
        return f"Seminar – {subject.lower()} {finding}"
    if section == "impact-reports-and-newsletters":
        return f"Newsletter: {subject} {finding}"
    return f"{rng.choice(_OPENERS)} {subject.lower()} {finding}"


def _image(rng: random.Random, post_id: int, published: datetime) -> Image:
    name = rng.choice(("organoid", "microscope", "lab-bench", "fish-tank", "lecture"))
    return Image(post_id + 1, f"{published:%Y/%m}/{name}-{post_id}.png", f"A {name} photo")


def _paragraph(
    rng: random.Random, sentences: tuple[str, ...], earlier: list[tuple[str, int]]
) -> str:
    chosen = rng.sample(sentences, rng.randrange(3, 6))
    if earlier and rng.random() < 0.3:
        path, post_id = earlier[rng.randrange(max(0, len(earlier) - 400), len(earlier))]
        target = rng.choice((SITE + path, path, f"{SITE}/?p={post_id}", SITE + path.rstrip("/")))
        chosen[-1] = f'{chosen[-1]} See <a href="{target}">an earlier story</a>.'
    elif rng.random() < 0.1:
        chosen[-1] = f'{chosen[-1]} <a href="{rng.choice(_EXTERNAL)}">More details</a>.'
    if rng.random() < 0.3:
        first = chosen[0].split(" ", 2)
        chosen[0] = (
            f"<strong>{first[0]} {first[1]}</strong> {first[2]}" if len(first) == 3 else chosen[0]
        )
    return "<p>" + " ".join(chosen) + "</p>"


def _body(rng: random.Random, section: str, earlier: list[tuple[str, int]]) -> str:
    sentences, items = _texturized()
    parts = [_paragraph(rng, sentences, earlier) for _ in range(rng.randrange(2, 4))]
    if section == "videos":
        parts.append(video(f"Gen{rng.randrange(10**7):07d}", "A film from the labs"))
    for heading in rng.sample(_HEADINGS, rng.randrange(2, 5)):
        parts.append(f'<h2 class="wp-block-heading">{heading}</h2>')
        parts.extend(_paragraph(rng, sentences, earlier) for _ in range(rng.randrange(2, 4)))
        roll = rng.random()
        if roll < 0.25:
            tag = rng.choice(("ul", "ol"))
            lis = "".join(f"<li>{item}</li>" for item in rng.sample(items, 3))
            parts.append(f'<{tag} class="wp-block-list">{lis}</{tag}>')
        elif roll < 0.3:
            parts.append(pullquote(rng.choice(sentences), "A researcher on the study"))
        elif roll < 0.35:
            rows = [(str(year), str(rng.randrange(10, 99))) for year in (2023, 2024, 2025)]
            parts.append(table(("Year", "Samples"), rows))
    return "\n\n".join(parts) + "\n"
