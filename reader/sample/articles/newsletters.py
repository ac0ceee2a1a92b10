"""Impact Reports and Newsletters: the seasonal newsletter and the shorter 2025 report.

Newsletters are mostly links to earlier posts, so between them they use every form of link
the live site uses: absolute, root-relative, ``../``-relative, shortlinks, with and without
the trailing slash.
"""

from __future__ import annotations

from reader.sample.draft import Draft, figure, pullquote, table

SECTION = "impact-reports-and-newsletters"

DRAFTS = (
    Draft(
        slug="spring-2024-newsletter-new-labs-and-new-faces",
        title="Spring 2024 Newsletter: new labs & new faces",
        author="dale-whitcombe",
        date="2024-05-07 16:00",
        section=SECTION,
        topics=("kidney", "brain"),
        body="""
Welcome to the spring newsletter. Two new laboratories opened their doors this season, the
organoid core passed a milestone, and five postdocs won fellowships. Here is what you may
have missed.

## In the news

- Kidney organoids now grow their own blood vessels
  (<a href="[[abs:kidney-organoids-grow-their-own-blood-vessels]]">read the story</a>)
- Zebrafish fins and the memory of shape
  (<a href="[[root:zebrafish-fins-hint-at-how-bone-remembers-its-shape]]">read the story</a>)
- Five postdocs win fellowships
  (<a href="[[short:five-postdocs-win-fellowships-for-early-career-research]]">who they
  are</a>)

## Events and films

- The 2024 symposium drew a record crowd; the programme is
  <a href="[[rel:stem-cell-symposium-2024-rebuilding-tissue]]">still online</a>
- A film about the organoid core is in our
  <a href="[[abs-bare:video-inside-the-organoid-core-facility]]">video section</a>

## New faces

Two laboratories joined the institute this spring. <strong>Dr. Amira Haddad</strong> studies
the stem cells of hair and skin, and <strong>Dr. Odalys Carrión</strong> grows human airway
tissue to learn how the lung repairs itself. Both are recruiting students.

The newsletter is written by the communications office. Reply to
<a href="mailto:newsletter@example.org">newsletter@example.org</a> with news for the next one.
""",
    ),
    Draft(
        slug="fall-2024-newsletter",
        title="Fall 2024 Newsletter",
        author="dale-whitcombe",
        date="2024-10-29 16:00",
        section=SECTION,
        topics=("heart-lung-and-blood", "skin-and-hair"),
        image=("fall-2024-newsletter.png", "Autumn leaves on the courtyard outside the building"),
        body="""
Summer is a busy time in the laboratory, and this one was no exception. This issue collects
the season's stories.

## Research

1. A CRISPR screen found the gene that keeps blood stem cells resting
   (<a href="[[abs:a-crispr-screen-finds-the-switch-that-keeps-blood-stem-cells-quiet]]">more</a>)
2. Fat beneath the skin helps wake hair follicle stem cells
   (<a href="[[root-bare:hair-follicle-stem-cells-take-cues-from-their-neighbours]]">more</a>)
3. Old muscle stem cells lose their daily rhythm
   (<a href="[[rel:muscle-stem-cells-lose-their-rhythm-with-age]]">more</a>)
4. Leukemia cells shelter from chemotherapy the way healthy stem cells rest
   (<a href="[[short:leukemia-cells-borrow-a-trick-from-healthy-marrow]]">more</a>)

## Out and about

Twenty high school students joined our summer course
(<a href="[[abs:summer-lab-course-for-high-school-students-opens-applications]]">how it
works</a>), and a full café heard Dr. Lucas Ferreira-Quint on what stem cells can and cannot
do (<a href="[[abs:cafe-scientifique-what-can-stem-cells-really-do]]">the event</a>). If you
missed the retina time-lapse, it is
<a href="[[root:video-how-a-retina-grows-in-three-weeks]]">worth ninety seconds</a>.

Thank you for reading.
""",
    ),
    Draft(
        slug="spring-2025-newsletter",
        title="Spring 2025 Newsletter",
        author="dale-whitcombe",
        date="2025-06-17 16:00",
        section=SECTION,
        topics=("cancer", "kidney"),
        body=f"""
The spring brought our tenth-anniversary impact report, a full symposium, and a record number
of grant applications. Highlights:

## Stories

- <a href="[[abs:lab-grown-airways-show-how-the-lung-repairs-itself]]">Lab-grown airways</a>
  show how the lung repairs itself
- <a href="[[root:melanomas-stem-like-cells-hide-in-plain-sight]]">Melanoma's stem-like
  cells</a> hide in plain sight
- An alumna's path <a href="[[rel:alumni-spotlight-from-the-bench-to-a-start-up-in-zurich]]">from
  the bench to a start-up</a>
- A grant to map the aging kidney, cell by cell
  (<a href="[[short:new-grant-funds-a-cell-atlas-of-the-aging-kidney]]">details</a>)

## Films

- <a href="[[abs:video-three-minutes-with-a-zebrafish-heart]]">Three minutes with a zebrafish
  heart</a>
- <a href="[[abs:video-growing-a-mini-brain-step-by-step]]">Growing a mini-brain</a>

{
            pullquote(
                "Ten years ago we had four laboratories and a borrowed microscope.",
                "From the 2024 Impact Report",
            )
        }

The full report, with a decade of numbers and stories, is
<a href="[[abs:2024-impact-report-ten-years-of-building-tissue]]">available to read
online</a>. The single-cell workshop in June is full; a second round is planned for the
winter (<a href="[[root:workshop-single-cell-sequencing-for-beginners]]">details</a>).
""",
    ),
    Draft(
        slug="fall-2025-newsletter-the-year-in-pictures",
        title='Fall 2025 Newsletter: "The Year in Pictures"',
        author="dale-whitcombe",
        date="2025-11-04 16:00",
        section=SECTION,
        topics=("eye-and-vision", "muscles-and-skeleton"),
        image=("year-in-pictures.png", "A grid of microscope images in bright colours"),
        body=f"""
This issue is mostly pictures: a selection of the best images made in our laboratories this
year, chosen by a panel of staff and students. Stories behind them are linked below.

{
            figure(
                "retina-cover.png",
                "A retinal organoid in blue and gold",
                "Cover image: a retinal organoid on the new light-sheet microscope.",
            )
        }

## Behind the pictures

- The cover was taken on the imaging core's
  <a href="[[abs:a-new-microscope-sees-retinal-organoids-at-half-a-micron]]">new
  microscope</a>
- Cartilage grown from skin cells, in a mouse knee
  (<a href="[[rel:cartilage-made-from-skin-cells-eases-joint-damage-in-mice]]">story</a>)
- A regenerating fish heart
  (<a href="[[root:why-zebrafish-can-regrow-a-heart-and-we-cant]]">story</a>)
- The summer scholars at work
  (<a href="[[short:video-meet-the-2025-summer-scholars]]">film</a>)

## Coming up

Career night sold out (<a href="[[abs:career-night-for-graduate-students-and-postdocs]]">what
it was</a>), and a new brain tumour trial is enrolling
(<a href="[[abs:glioblastoma-trial-begins-enrolling-patients]]">details</a>).
""",
    ),
    Draft(
        slug="2025-impact-report-the-year-in-numbers",
        title="2025 Impact Report: the year in numbers",
        author="communications",
        date="2026-03-17 17:00",
        section=SECTION,
        topics=("cancer", "heart-lung-and-blood"),
        tags=("grants",),
        image=("impact-2025-cover.png", "The cover of the 2025 impact report"),
        body=f"""
Last year's report looked back over a decade. This one is shorter: a single year, told mostly
in numbers, with a few of the stories behind them.

## The year at a glance

{
            table(
                ("Measure", "2024", "2025", "Change"),
                [
                    ("Laboratories", "31", "34", "+3"),
                    ("Research papers", "188", "214", "+14%"),
                    ("New grants", "46", "52", "+13%"),
                    ("Organoids shipped by the core", "38,400", "45,100", "+17%"),
                    ("Clinical trials under way", "3", "5", "+2"),
                    ("Students in the summer course", "20", "20", "—"),
                ],
                "Figures as of December 31, 2025. Papers are counted once, however many labs "
                "took part.",
            )
        }

## What the numbers leave out

Numbers cannot show the moment a patient's wound closes, or a student deciding that science
is for them. Two new trials began this year, one testing engineered immune cells against
glioblastoma and one testing skin grafts grown from patients' own cells; both are described in
our news pages. Our summer course again took twenty students, most of whom had never held a
pipette.

## Where the money came from

- Federal research grants, about half of the total
- Foundations and charities, about a quarter
- Gifts from individuals and families, including:
  - the fellowship fund for postdocs
  - the endowment for the organoid core
- Industry partnerships, a small but growing share

We are grateful to everyone who supports the work. The previous report, with ten years of
context, is <a href="[[abs:2024-impact-report-ten-years-of-building-tissue]]">still online</a>.
""",
    ),
    Draft(
        slug="summer-2026-newsletter",
        title="Summer 2026 Newsletter",
        author="dale-whitcombe",
        date="2026-06-30 16:00",
        section=SECTION,
        topics=("skin-and-hair", "aging"),
        body="""
It has been a season of firsts: the first symposium streamed online, the first patients in
the skin graft trial, and the first time the open house ran out of clay.

## Stories

1. Skin grafts from patients' own cells pass a safety milestone
   (<a href="[[abs:skin-grafts-grown-from-a-patients-own-cells-pass-a-safety-milestone]]">read</a>)
2. Tumours stall muscle repair in cancer
   (<a href="[[root:muscle-wasting-in-cancer-traced-to-a-signal-from-tumors]]">read</a>)
3. Diet and old blood stem cells
   (<a href="[[rel:old-blood-stem-cells-rejuvenated-by-a-change-of-diet-in-mice]]">read</a>)
4. Eye drops for stubborn corneal wounds
   (<a href="[[short:eye-drops-made-from-stem-cell-secretions-tested-on-corneal-wounds]]">read</a>)

## Events

The 2026 symposium (<a href="[[abs-bare:stem-cell-symposium-2026-time-tissue-and-repair]]">the
programme</a>) was our largest yet, with some four hundred people watching online. About
nine hundred visitors came to the
<a href="[[abs:open-house-at-the-regeneration-building-on-may-30]]">open house</a>; and our
<a href="[[abs:video-ask-a-scientist-can-we-regrow-teeth]]">latest Ask a Scientist</a> took on
teeth.
""",
    ),
    Draft(
        slug="fall-2026-newsletter-small-cells-big-questions",
        title="Fall 2026 Newsletter: “Small Cells, Big Questions”",
        author="dale-whitcombe",
        date="2026-10-13 16:00",
        section=SECTION,
        topics=("brain", "kidney"),
        body="""
The theme of this issue came from a student at the open house, who asked how something too
small to see could answer questions that big. Our researchers spent the summer trying.

## Stories

- Brain organoids that live for a year, thanks to vessels borrowed from kidney research
  (<a href="[[abs:brain-organoids-with-working-blood-vessels-survive-for-a-year]]">read</a>)
- The first results of the kidney atlas: cells that remember injury
  (<a href="[[root:kidney-cells-memory-of-injury-mapped-one-cell-at-a-time]]">read</a>)
- A tour of the fish facility, for those who could not come in person
  (<a href="[[rel:video-lab-tour-of-the-zebrafish-facility]]">watch</a>)

## This autumn

The seminar series has six outside speakers this year
(<a href="[[short:fall-seminar-series-speakers-announced]]">the list</a>). Seminars are open to
everyone, and lunch is on us.

Thank you for reading, and for the questions. Keep them coming at
<a href="mailto:newsletter@example.org">newsletter@example.org</a>.
""",
    ),
)
