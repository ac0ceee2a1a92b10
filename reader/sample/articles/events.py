"""The Events section: symposia, lectures, courses and open days, all invented."""

from __future__ import annotations

from reader.sample.draft import Draft, table

DRAFTS = (
    Draft(
        slug="stem-cell-symposium-2024-rebuilding-tissue",
        title='Stem Cell Symposium 2024: "Rebuilding Tissue" comes to campus',
        author="jonah-feldkamp",
        date="2024-02-06 17:00",
        section="events",
        topics=("heart-lung-and-blood", "brain"),
        tags=("community",),
        image=("symposium-2024-hall.png", "A lecture hall filled for the symposium"),
        body=f"""
<strong>When:</strong> Thursday, March 14, 2024, 9:00 a.m. – 5:30 p.m.<br>
<strong>Where:</strong> Harmon Lecture Hall, 1420 Alder Street, second floor

The institute's annual symposium returns with a theme that runs through most of our
laboratories: how to rebuild tissue that the body cannot repair on its own. The day brings
together researchers working on the heart, the brain, the kidney and the blood, with short
talks from students and postdocs between the keynotes.

## Programme

{
            table(
                ("Time", "Session", "Speaker"),
                [
                    ("9:00", "Welcome", "Dr. Rohan Adeyemi-Clarke, director"),
                    (
                        "9:15",
                        "Keynote: Timing is everything in regeneration",
                        "Dr. Teodor Vasquez-Lin",
                    ),
                    ("10:30", "Flash talks: students and postdocs", "Eight speakers"),
                    ("12:00", "Lunch and posters", "—"),
                    ("13:30", "Keynote: Organoids that grow up", "Dr. Ilse Marchetti"),
                    ("15:00", "Panel: from the dish to the clinic", "Four panellists"),
                    ("17:00", "Reception", "—"),
                ],
            )
        }

Attendance is free, but places are limited. Please register by March 7; students and
postdocs who wish to present a poster should send a title and a short abstract to
<a href="mailto:symposium@example.org">symposium@example.org</a>.
""",
    ),
    Draft(
        slug="summer-lab-course-for-high-school-students-opens-applications",
        title="Summer lab course for high school students opens applications",
        author="jonah-feldkamp",
        date="2024-06-18 16:00",
        section="events",
        topics=("brain",),
        tags=("community", "mentoring"),
        body="""
<strong>When:</strong> July 15 – August 2, 2024, weekdays, 9 a.m. to 3 p.m.<br>
<strong>Where:</strong> Teaching laboratory, room B12, 1420 Alder Street

For three weeks each summer, twenty high school students join the institute to learn how
stem cell research is done, at the bench. No experience is needed; curiosity is.

## What students will do

- Grow and look after cells, including:
  - keeping cells alive and counting them
  - watching stem cells turn into beating heart cells
- Use the same microscopes our researchers use
- Present a small project to families on the last day

Each student is paired with a graduate student mentor. The course is free, and a stipend is
available for students who would otherwise need a summer job.

Applications close on June 30. Teachers who would like to recommend a student can write to
the education office.
""",
    ),
    Draft(
        slug="cafe-scientifique-what-can-stem-cells-really-do",
        title='Café Scientifique: "What can stem cells really do?"',
        author="jonah-feldkamp",
        date="2024-09-17 16:00",
        section="events",
        topics=("cancer",),
        tags=("community",),
        body="""
<strong>When:</strong> Tuesday, October 8, 2024, 6:30 p.m.<br>
<strong>Where:</strong> The Reading Room café, 88 Larkspur Avenue

Clinics advertising stem cell treatments for everything from back pain to ageing skin have
spread in recent years. Which treatments are real, which are being tested, and which are
simply being sold?

At this informal evening, <strong>Dr. Lucas Ferreira-Quint</strong>, a cancer researcher who
also sees patients, will talk for twenty minutes and then take questions for as long as
people want to ask them. Blood stem cell transplants have saved lives for decades; most other
uses are still experimental, and he will explain how to tell the difference.

> Come with your questions, your scepticism and your stories. There are no silly questions,
> only expensive answers.

The event is free and open to everyone; no registration is needed. Coffee and pastries will
be provided.
""",
    ),
    Draft(
        slug="stem-cell-symposium-2025-registration-is-open",
        title="Stem Cell Symposium 2025: registration is open",
        author="jonah-feldkamp",
        date="2025-01-28 17:00",
        section="events",
        topics=("kidney", "eye-and-vision"),
        tags=("community",),
        body="""
<strong>When:</strong> Friday, March 21, 2025, 9:00 a.m. – 5:00 p.m.<br>
<strong>Where:</strong> Harmon Lecture Hall, 1420 Alder Street

Registration is open for this year's symposium, which looks at organoids: what they have
taught us in their first decade and where they are heading. Keynotes will cover kidney and
retinal organoids, with a closing panel on how organoids might reduce the use of animals in
research.

Last year's meeting (<a href="[[abs:stem-cell-symposium-2024-rebuilding-tissue]]">see the
2024 programme</a>) filled up two weeks before the deadline, so early registration is
recommended.

## Posters

Students and postdocs are invited to present posters. Three poster prizes will be awarded,
each with a travel grant to a meeting of the winner's choice. Abstracts are due February 28.

Registration is free for members of the university and for staff of partner hospitals.
""",
    ),
    Draft(
        slug="workshop-single-cell-sequencing-for-beginners",
        title="Workshop: single-cell sequencing for beginners",
        author="jonah-feldkamp",
        date="2025-05-27 16:00",
        section="events",
        topics=("kidney",),
        tags=("single-cell-sequencing",),
        excerpt_only=True,
        body=f"""
<strong>When:</strong> June 16 – 18, 2025<br>
<strong>Where:</strong> Computing classroom, room 310, 1420 Alder Street

Single-cell sequencing reads which genes are active in thousands of individual cells at once.
It has become a standard tool across the institute, and it produces data that can overwhelm
people meeting it for the first time. This three-day workshop covers the basics, from planning
an experiment to drawing the first maps of cell types.

{
            table(
                ("Day", "Morning", "Afternoon"),
                [
                    (
                        "Monday",
                        "Planning an experiment; sample quality",
                        "Lab tour: the sequencing core",
                    ),
                    (
                        "Tuesday",
                        "From reads to a table of genes and cells",
                        "Hands-on: quality control",
                    ),
                    (
                        "Wednesday",
                        "Finding cell types; pitfalls",
                        "Hands-on: your own data (optional)",
                    ),
                ],
            )
        }

Participants need a laptop and a little experience with a programming language; the
organisers will send setup instructions a week before. Places are limited to twenty-four and
are given first to researchers who are about to start a project.
""",
    ),
    Draft(
        slug="career-night-for-graduate-students-and-postdocs",
        title="Career night for graduate students & postdocs",
        author="jonah-feldkamp",
        date="2025-09-23 16:00",
        section="events",
        topics=("brain",),
        tags=("alumni", "mentoring"),
        body="""
<strong>When:</strong> Wednesday, October 15, 2025, 5:30 – 8:00 p.m.<br>
<strong>Where:</strong> Atrium, 1420 Alder Street

Eight former members of the institute come back to talk about what they do now, in
companies, in universities, in government and in a science museum. After short talks, each
guest hosts a table, and attendees move between tables every twenty minutes.

This year's guests include <strong>Wren Castellano</strong>, whose company builds devices for
testing drugs on lab-grown tissue (her
<a href="[[abs:alumni-spotlight-from-the-bench-to-a-start-up-in-zurich]]">alumni
profile</a> is worth a read before the evening).

Dinner is provided. Please register so we can order enough food; questions can go to
<a href="mailto:careers@example.org?subject=Career%20night">careers@example.org</a>.
""",
    ),
    Draft(
        slug="stem-cell-symposium-2026-time-tissue-and-repair",
        title='Stem Cell Symposium 2026: "Time, Tissue & Repair"',
        author="jonah-feldkamp",
        date="2026-02-03 17:00",
        section="events",
        topics=("aging", "muscles-and-skeleton"),
        tags=("community",),
        image=("symposium-2026-poster.png", "The 2026 symposium poster, a clock made of cells"),
        body=f"""
<strong>When:</strong> Thursday, March 19, 2026, 9:00 a.m. – 5:30 p.m.<br>
<strong>Where:</strong> Harmon Lecture Hall, 1420 Alder Street, and online

This year's symposium is about time: how tissues keep it, how they lose track of it with
age, and whether the clock can be reset. Speakers will cover muscle, blood, skin and the
kidney.

{
            table(
                ("Time", "Session"),
                [
                    ("9:00", "Welcome and the year in review"),
                    ("9:30", "Keynote: Stem cells and the body's clock"),
                    ("11:00", "Flash talks"),
                    ("13:30", "Keynote: What ageing does to the niche"),
                    ("15:00", "Panel: can we measure biological age?"),
                    ("16:30", "Poster prizes and reception"),
                ],
            )
        }

For the first time, the talks will also be streamed. The link will be sent to registered
attendees the day before.
""",
    ),
    Draft(
        slug="open-house-at-the-regeneration-building-on-may-30",
        title="Open house at the regeneration building on May 30",
        author="jonah-feldkamp",
        date="2026-05-19 16:00",
        section="events",
        topics=("eye-and-vision", "heart-lung-and-blood"),
        tags=("community",),
        body="""
<strong>When:</strong> Saturday, May 30, 2026, 10 a.m. – 3 p.m.<br>
<strong>Where:</strong> 1420 Alder Street; enter from the courtyard

Once a year, we open the doors of our building to the public. Visitors can look down a
microscope at beating heart cells, see the zebrafish that regrow their fins and hearts, and
meet the people who do the work.

## Things to see

1. The zebrafish facility, with guided tours every half hour
2. The imaging core and its new light-sheet microscope
3. A hands-on table for children: build a cell out of clay
4. Short talks every hour in the atrium

The building is wheelchair accessible. Parking is free in the Alder Street structure on the
day. No registration is needed; tours of the fish facility are first come, first served.
""",
    ),
    Draft(
        slug="fall-seminar-series-speakers-announced",
        title="Fall seminar series: speakers announced",
        author="jonah-feldkamp",
        date="2026-09-01 16:00",
        section="events",
        topics=("brain", "cancer"),
        body=f"""
The institute's seminar series returns for the autumn with six speakers from outside the
university. Seminars are on Wednesdays at noon in room 210, 1420 Alder Street, and are open
to everyone; lunch is served from 11:45.

{
            table(
                ("Date", "Speaker", "Topic"),
                [
                    (
                        "September 16",
                        "Dr. Halima Oduya-Strand",
                        "Neural crest cells and the shape of the face",
                    ),
                    (
                        "September 30",
                        "Dr. Piet van der Aalst-Mora",
                        "Cell competition in the ageing gut",
                    ),
                    ("October 14", "Dr. Keiko Lindahl-Osei", "Tumour dormancy and the bone marrow"),
                    ("October 28", "Dr. Marcus Ebbesen-Ruiz", "Organoids of the inner ear"),
                    (
                        "November 11",
                        "Dr. Sofía Kuznetsova-Hart",
                        "Metabolism in stem cell decisions",
                    ),
                    (
                        "December 2",
                        "Dr. Olu Whitfield-Anand",
                        "Salamander limbs and the limits of repair",
                    ),
                ],
                "All seminars start at 12:00 and end by 13:00.",
            )
        }

Graduate students can sign up to have lunch with the speaker after each seminar; places are
limited to six per speaker.
""",
    ),
)
