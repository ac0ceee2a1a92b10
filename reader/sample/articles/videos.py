"""The Videos section: short films, each carrying a YouTube embed (the ids are made up)."""

from __future__ import annotations

from reader.sample.draft import Draft, video

DRAFTS = (
    Draft(
        slug="video-inside-the-organoid-core-facility",
        title="Video: Inside the organoid core facility",
        author="tomas-reyes-lindqvist",
        date="2024-03-19 17:00",
        section="videos",
        topics=("kidney", "brain"),
        tags=("organoids",),
        body=f"""
The organoid core grows mini-organs for laboratories across the institute: kidneys, brains,
airways and retinas, at a rate of several thousand a month. In this four-minute film, the
core's staff show how an organoid is started, fed and checked, and why so much of the work
happens at three in the morning.

{video("Qx7rGn2OrgA", "Inside the organoid core facility")}

In the film:

- Why stem cells are grown on a soft gel rather than on plastic
- What a healthy organoid looks like at day 7, day 14 and day 21
- How the core decides that an organoid is good enough to send out

Researchers who want to use the core can find its booking form and price list on the
<a href="https://example.org/organoid-core">core's page</a>.
""",
    ),
    Draft(
        slug="video-how-a-retina-grows-in-three-weeks",
        title="Video: How a retina grows in three weeks",
        author="priya-vaidyanathan",
        date="2024-08-06 17:00",
        section="videos",
        topics=("eye-and-vision",),
        tags=("organoids",),
        body=f"""
A time-lapse film from the laboratory of <strong>Dr. Sunniva Rask</strong> compresses three
weeks of retinal development into ninety seconds. A flat sheet of stem cells folds into a
cup, and the cup begins to form the layers that, months later, will hold light-sensing cells.

{video("Rt3wKs9RetN", "How a retina grows in three weeks")}

"People expect it to look mechanical," Rask says in the narration. "It looks alive. The tissue
pulses and stretches as it folds."

The film was made with the imaging core's older confocal microscope, with one image every ten
minutes. A sharper version, filmed on the core's newer instrument, is planned.
""",
    ),
    Draft(
        slug="video-three-minutes-with-a-zebrafish-heart",
        title="Video: Three minutes with a zebrafish heart",
        author="tomas-reyes-lindqvist",
        date="2024-12-10 17:00",
        section="videos",
        topics=("heart-lung-and-blood",),
        tags=("zebrafish",),
        body=f"""
The zebrafish heart is about the size of a grain of rice, beats around 120 times a minute,
and can regrow after losing a fifth of its muscle. In this short film, members of <strong>Dr.
Teodor Vasquez-Lin</strong>'s laboratory show what a fish heart looks like up close, and how
they measure its recovery.

{video("Zf3mHrt0Bt1", "Three minutes with a zebrafish heart")}

## From the film

1. How fish are cared for in the facility
2. What the heart looks like on day 1, day 7 and day 30 after injury
3. How the lab counts newly made muscle cells

The fish in the film are cared for under the university's animal welfare rules, and the
procedures shown were approved by its oversight committee.
""",
    ),
    Draft(
        slug="video-growing-a-mini-brain-step-by-step",
        title="Video: Growing a mini-brain, step by step",
        author="priya-vaidyanathan",
        date="2025-04-15 17:00",
        section="videos",
        topics=("brain",),
        tags=("organoids",),
        body=f"""
Brain organoids are sometimes called mini-brains, a name most researchers dislike: they have
no thoughts, no senses and no more than a few million cells. They are still among the best
tools available for studying how the human brain develops. This film follows one batch from
stem cells to a two-month-old organoid.

{video("Bn4sTpMiniB", "Growing a mini-brain, step by step")}

## Chapters

- 0:00 Starting from stem cells
- 1:40 Making neural tissue
- 3:15 Spinning bioreactors, and why they help
- 5:05 What a two-month-old organoid can and cannot do

A <a href="https://example.org/transcripts/mini-brain.txt">transcript</a> is available.
""",
    ),
    Draft(
        slug="video-meet-the-2025-summer-scholars",
        title="Video: Meet the 2025 summer scholars",
        author="tomas-reyes-lindqvist",
        date="2025-08-19 17:00",
        section="videos",
        topics=("brain",),
        tags=("community", "mentoring"),
        body=f"""
Twenty high school students spent three weeks in the institute's teaching laboratory this
summer. We asked a few of them what surprised them, what they will remember, and whether any
of them now want to be scientists (several do).

{video("Sm25ScHlrsV", "Meet the 2025 summer scholars")}

"I thought you had to be a genius," one student says. "You mostly have to be patient and write
everything down."

The course runs every summer; this year's applications opened in June
(<a href="[[abs:summer-lab-course-for-high-school-students-opens-applications]]">read how it
works</a>).
""",
    ),
    Draft(
        slug="video-a-kidney-filter-built-cell-by-cell",
        title="Video: A kidney filter, built cell by cell",
        author="mara-okafor",
        date="2025-11-25 17:00",
        section="videos",
        topics=("kidney",),
        tags=("organoids",),
        body=f"""
Each human kidney holds around a million tiny filters. In this animation, made with the
Marchetti laboratory, we follow the cells of one filter as they find each other, form a cup,
and wrap a knot of blood vessels inside it.

{video("Kd9fLtrCbc2", "A kidney filter, built cell by cell")}

The animation is based on real imaging data from kidney organoids, smoothed and coloured so
that the different cell types are easy to tell apart. Podocytes, the cells that form the
filter itself, are shown in purple; vessel cells in red.

The science behind it is described in our story about
<a href="[[rel:kidney-organoids-grow-their-own-blood-vessels]]">vessels in kidney
organoids</a>.
""",
    ),
    Draft(
        slug="video-ask-a-scientist-can-we-regrow-teeth",
        title="Video: Ask a scientist – can we regrow teeth?",
        author="tomas-reyes-lindqvist",
        date="2026-04-07 17:00",
        section="videos",
        topics=("muscles-and-skeleton",),
        body=f"""
Sharks replace their teeth throughout life. People get two sets, and then we are on our own.
In the latest episode of our question-and-answer series, a dental researcher explains why,
and what stem cells in the jaw might one day do about it.

{video("Tt7AskSc1en", "Ask a scientist: can we regrow teeth?")}

<em>Short answer:</em> not yet. Researchers can grow tooth-like structures from stem cells in
mice, but a tooth needs the right shape, the right roots and the right nerves, and getting all
three at once is hard.

Send questions for future episodes to
<a href="mailto:askascientist@example.org">askascientist@example.org</a>.
""",
    ),
    Draft(
        slug="video-lab-tour-of-the-zebrafish-facility",
        title="Video: Lab tour of the zebrafish facility",
        author="tomas-reyes-lindqvist",
        date="2026-07-21 17:00",
        section="videos",
        topics=("heart-lung-and-blood", "muscles-and-skeleton"),
        tags=("zebrafish",),
        body=f"""
Some twenty thousand zebrafish live in the institute's fish facility, in racks of small tanks
with water that is filtered and checked around the clock. For those who missed the open house,
here is the tour.

{video("Zf8tOurFc1y", "Lab tour of the zebrafish facility")}

The facility supports several laboratories, including those studying
<a href="[[short:why-zebrafish-can-regrow-a-heart-and-we-cant]]">heart regeneration</a> and
<a href="[[root:zebrafish-fins-hint-at-how-bone-remembers-its-shape]]">fin regrowth</a>.

The film also shows the less glamorous side of fish research: the nursery where larvae are
raised on a diet of microscopic food, the daily health checks, and the record-keeping that
lets any researcher trace a fish back through its parents and grandparents.
""",
    ),
)
