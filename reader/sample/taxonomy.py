"""Who writes for the sample site and how it files posts: sections, topics, tags, authors.

The sections and topics follow the institute's own site; the people are invented. Ids are
spread out the way a WordPress database that has grown for years spreads them.
"""

from __future__ import annotations

from reader.sample.site import Author, Term

TITLE = "USC Stem Cell (sample)"
"""The sample site's title: the institute's, marked as a stand-in."""

TAGLINE = "Invented news from a stem cell research institute, for trying out the reader"

SECTIONS = (
    Term(3, "News", "news", "section", "Discoveries, people and honours from our labs."),
    Term(4, "Events", "events", "section", "Symposia, lectures, courses and open days."),
    Term(5, "Videos", "videos", "section", "Short films from the labs and lecture halls."),
    Term(
        6,
        "Impact Reports and Newsletters",
        "impact-reports-and-newsletters",
        "section",
        "Annual impact reports and the seasonal newsletter.",
    ),
)
"""The "News & Events" menu, in menu order."""

TOPICS = (
    Term(11, "Cancer", "cancer", "topic"),
    Term(12, "Heart, Lung and Blood", "heart-lung-and-blood", "topic"),
    Term(13, "Muscles and Skeleton", "muscles-and-skeleton", "topic"),
    Term(14, "Brain", "brain", "topic"),
    Term(15, "Kidney", "kidney", "topic"),
    Term(16, "Skin and Hair", "skin-and-hair", "topic"),
    # WordPress stores term names HTML-escaped, and its feeds and REST API hand them out so.
    Term(17, "Eye &amp; Vision", "eye-and-vision", "topic"),
    Term(18, "Aging", "aging", "topic"),
)

UNCATEGORIZED = Term(1, "Uncategorized", "uncategorized", "section")
"""WordPress's default category: present on every site, empty on this one."""

TAGS = (
    Term(41, "organoids", "organoids", "tag"),
    Term(42, "grants", "grants", "tag"),
    Term(43, "CRISPR", "crispr", "tag"),
    Term(44, "zebrafish", "zebrafish", "tag"),
    Term(45, "awards", "awards", "tag"),
    Term(46, "alumni", "alumni", "tag"),
    Term(47, "clinical trials", "clinical-trials", "tag"),
    Term(48, "single-cell sequencing", "single-cell-sequencing", "tag"),
    Term(49, "community", "community", "tag"),
    Term(50, "mentoring", "mentoring", "tag"),
)

AUTHORS = (
    Author(2, "Mara Okafor", "mara-okafor", "Senior science writer; covers kidney and blood."),
    Author(3, "Tomás Reyes-Lindqvist", "tomas-reyes-lindqvist", "Writer and video producer."),
    Author(4, "Priya Vaidyanathan", "priya-vaidyanathan", "Writes about the brain and the eye."),
    Author(5, "Jonah Feldkamp", "jonah-feldkamp", "Events and community programmes."),
    Author(6, "Hana Sørli", "hana-sorli", "Science writer; cancer and ageing."),
    Author(7, "Dale Whitcombe", "dale-whitcombe", "Editor of the seasonal newsletter."),
    Author(8, "Institute Communications", "communications", "The communications office."),
)


def all_terms() -> tuple[Term, ...]:
    """Every category and tag of the sample site."""
    return (UNCATEGORIZED, *SECTIONS, *TOPICS, *TAGS)
