"""The News section: discoveries, people and honours. Everyone in them is invented."""

from __future__ import annotations

from reader.sample.draft import Draft, figure, pullquote, table

DRAFTS = (
    Draft(
        slug="kidney-organoids-grow-their-own-blood-vessels",
        title="Kidney organoids grow their own blood vessels in a dish",
        author="mara-okafor",
        date="2024-01-16 17:00",
        section="news",
        topics=("kidney",),
        tags=("organoids",),
        image=("kidney-organoid-vessels.png", "A kidney organoid stained green and magenta"),
        body=f"""
For years, kidney organoids grown in the lab have had a plumbing problem. The tiny clusters of
cells form filters and tubules that look remarkably like the real thing, but without blood
vessels they stall at an early stage and begin to die after a few weeks.

A team led by <strong>Dr. Ilse Marchetti</strong> now reports that a change in the recipe lets
the organoids build their own vessels. By adding a second population of cells, grown from the
same stem cells but nudged toward a vascular fate, the researchers coaxed the organoids into
forming branching capillaries that wrap around the filtering units.

{
            figure(
                "kidney-organoid-flat.png",
                "A flat kidney organoid under the microscope",
                "A kidney organoid after 21 days: filters in magenta, vessels in green.",
            )
        }

## Why vessels matter

In a real kidney, each filter, or glomerulus, is a knot of capillaries. Blood pressure pushes
fluid through the capillary wall and into the tubule, where the body recovers what it needs.
An organoid without vessels can form the cells of a filter but cannot <em>filter</em> anything.

"We were surprised by how willing the cells were to organise themselves," Marchetti said. "We
gave them the right neighbours and stepped back."

## What comes next

The team wants to connect the organoid vessels to a flow of fluid, so that the filters can be
tested under pressure. They are also sharing their protocol through the institute's organoid
core; a summary is on the lab's page at
<a href="https://example.org/marchetti-lab/protocols">example.org/marchetti-lab</a>.

The work was supported by the institute's pilot grant programme and by a foundation award for
kidney research.
""",
    ),
    Draft(
        slug="zebrafish-fins-hint-at-how-bone-remembers-its-shape",
        title="Zebrafish fins hint at how bone remembers its shape",
        author="tomas-reyes-lindqvist",
        date="2024-02-27 16:30",
        section="news",
        topics=("muscles-and-skeleton",),
        tags=("zebrafish",),
        excerpt_only=True,
        image=("zebrafish-fin-rays.png", "The rays of a regrowing zebrafish tail fin"),
        body="""
Cut the tail fin of a zebrafish and it grows back in about two weeks, complete with bony rays of
the right length and spacing. How the regrowing tissue knows when to stop has puzzled
biologists for decades.

A study from the laboratory of <strong>Dr. Renata Duarte</strong> suggests that the answer is
written into the cells that line each ray. These cells, called osteoblasts, carry a kind of
positional memory: those near the body produce more of a growth signal than those near the
tip, and the amount they make sets how long the new bone will grow.

## A gradient that outlasts the injury

The team tracked individual osteoblasts with a fluorescent label as fins regrew. Cells taken
from near the base kept their high output even after they had moved outward into the new
tissue. When the researchers dampened the signal, fins regrew short; when they boosted it,
fins grew longer than before.

"It is as if each cell remembers its old address," Duarte said. "That memory is what lets the
fin return to the same shape again and again."

## Beyond fish

Human bones heal but do not regrow. Understanding how fish keep track of size could help
researchers design better scaffolds for bone repair, the authors write, though they caution
that the path from fin to femur is a long one.
""",
    ),
    Draft(
        slug="five-postdocs-win-fellowships-for-early-career-research",
        title="Five postdocs win fellowships for early-career research",
        author="hana-sorli",
        date="2024-04-09 18:00",
        section="news",
        topics=("cancer", "aging"),
        tags=("grants", "awards"),
        body="""
Five postdoctoral researchers at the institute have received two-year fellowships that pay for
their salaries and give each of them a small budget for supplies and travel. The awards are
meant to help young scientists test an idea of their own before they apply for faculty jobs.

This year's fellows and their projects:

1. <strong>Aiko Brennan-Tamura</strong>, on why some leukemia cells survive chemotherapy by
   slowing down
2. <strong>Dmitri Solberg</strong>, on the wear and tear that old muscle stem cells carry
3. <strong>Nadia El-Khoury Park</strong>, on how skin stem cells respond to sunburn
4. <strong>Samuel Oyelaran-Finch</strong>, on growing bone marrow in a dish, with two aims:
  - a model of the marrow "niche" that keeps blood stem cells healthy
  - a test bed for drugs that might protect the niche during cancer treatment
5. <strong>Léa Moreau-Kaplan</strong>, on mapping which genes switch on when a tumour starts to
   spread

## How the fellowships work

Fellows are chosen by a committee of faculty from outside their own departments. Each fellow
also picks a second mentor, from a different field, who meets with them every month. "The
second mentor is the part people remember," said the programme's director. "It is where a lot
of the best ideas come from."

Applications for next year's round open in the autumn. Questions can go to the fellowship
office.
""",
    ),
    Draft(
        slug="a-crispr-screen-finds-the-switch-that-keeps-blood-stem-cells-quiet",
        title="A CRISPR screen finds the switch that keeps blood stem cells quiet",
        author="mara-okafor",
        date="2024-05-28 17:15",
        section="news",
        topics=("heart-lung-and-blood",),
        tags=("crispr",),
        image=("blood-stem-cell-screen.png", "Plates of blood stem cells ready for screening"),
        body="""
Most of the time, the stem cells that make our blood do nothing at all. They sit in the bone
marrow in a resting state, dividing only now and then. That quiet protects them: cells that
divide too often wear out, and a marrow that runs out of stem cells cannot make blood.

Researchers in the laboratory of <strong>Dr. Kwabena Osei-Bonsu</strong> used a CRISPR screen
to search for the genes that hold the cells in this resting state. They switched off, one at
a time, each of roughly 2,000 genes and watched which cells woke up.

## What the screen found

The strongest hit was a gene that the team has nicknamed <em>hush</em>. Without it, the stem
cells began dividing within days and, after a few weeks, the marrow was visibly depleted.

### Three ways the cells changed

- They used more energy, burning sugar faster than resting cells do
- They lost markers of "stemness", in two stages:
  - first the surface proteins that label a blood stem cell
  - then the ability to rebuild the blood system when moved to a new host
- They became more sensitive to inflammation signals

### Why it matters

Several blood cancers begin when stem cells divide when they should rest. The team now wants
to know whether the same gene is damaged in those diseases. The work builds on the
institute's organoid and imaging cores; the kidney group's new vessel method, described in
<a href="[[abs:kidney-organoids-grow-their-own-blood-vessels]]">our January story</a>, is
being adapted to grow marrow tissue as well.
""",
    ),
    Draft(
        slug="hair-follicle-stem-cells-take-cues-from-their-neighbours",
        title="Hair follicle stem cells take cues from their neighbours – and from fat",
        author="priya-vaidyanathan",
        date="2024-07-09 16:45",
        section="news",
        topics=("skin-and-hair",),
        excerpt_only=True,
        body="""
Hair grows in cycles: a growing phase that can last years, a short phase of breakdown, and a
rest. Stem cells at the base of each follicle decide when a new cycle starts, and they do not
decide alone.

Work from <strong>Dr. Amira Haddad</strong>'s laboratory shows that the layer of fat beneath
the skin sends signals that help wake the follicle stem cells. When the fat layer thins, as it
does with age, the signals fade and the follicles rest for longer.

## A conversation between tissues

The team found that fat cells release a small protein at the start of each growth phase. Stem
cells that receive it begin to divide; stem cells that cannot sense it stay asleep. In older
mice, restoring the protein shortened the rest phase by about a third.

"Skin is not a sheet of identical cells," Haddad said. "It is a neighbourhood, and the stem
cells listen to everyone around them."

The study does not point to a treatment for hair loss, the researchers stress. But it adds to
evidence that the tissues around stem cells, not only the stem cells themselves, change as we
age.
""",
    ),
    Draft(
        slug="muscle-stem-cells-lose-their-rhythm-with-age",
        title="Muscle stem cells lose their rhythm with age",
        author="hana-sorli",
        date="2024-08-27 17:30",
        section="news",
        topics=("muscles-and-skeleton", "aging"),
        image=("muscle-fibres.png", "Muscle fibres with stem cells marked in red"),
        body=f"""
Muscle repairs itself with help from stem cells that lie along each fibre. After an injury,
these cells divide, and their daughters fuse to mend the damage. In older muscle, the repair
is slower and less complete.

A new study led by <strong>Dr. Felix Nakagawa-Brandt</strong> suggests that part of the problem
is timing. Young muscle stem cells switch their genes on and off in a daily rhythm, tied to the
body's clock. Old muscle stem cells lose much of that rhythm, and with it the ability to time
their response to injury.

{
            pullquote(
                "A young stem cell knows what time it is. An old one has lost its watch.",
                "Dr. Felix Nakagawa-Brandt",
            )
        }

## Resetting the clock

When the team fed old mice on a strict schedule, eating only in a fixed window each day, some
of the rhythm returned and muscle repair improved. Mice fed at random times saw no benefit.

The researchers are careful not to over-read the result: the mice were fed a controlled diet,
and human muscle may behave differently. But the finding fits with earlier work on how cells
keep time, including the fin-regrowth study from the Duarte laboratory
(<a href="[[rel:zebrafish-fins-hint-at-how-bone-remembers-its-shape]]">read it here</a>).
""",
    ),
    Draft(
        slug="leukemia-cells-borrow-a-trick-from-healthy-marrow",
        title="Leukemia cells borrow a trick from healthy marrow",
        author="mara-okafor",
        date="2024-10-08 17:00",
        section="news",
        topics=("cancer", "heart-lung-and-blood"),
        excerpt_only=True,
        body="""
Some leukemia cells survive chemotherapy by doing what healthy blood stem cells do: going
quiet. Drugs that target dividing cells pass them by, and weeks or months later the disease
returns.

A study from <strong>Dr. Lucas Ferreira-Quint</strong>'s laboratory describes how leukemia
cells pull off the trick. They take over a signal that the bone marrow normally uses to keep
healthy stem cells at rest, and use it to shelter themselves from treatment.

## Blocking the shelter

In mice, a drug that blocks the signal pushed the hiding leukemia cells back into division,
where chemotherapy could reach them. The combination cleared more of the disease than
chemotherapy alone.

"The same quiet that protects healthy stem cells protects the cancer," Ferreira-Quint said.
"The question is whether we can take it away from one without taking it from the other."

The work draws on the <em>hush</em> gene identified in an earlier screen at the institute, and
the two groups are now working together. A clinical study is some years away.
""",
    ),
    Draft(
        slug="renata-duarte-receives-the-whitlock-prize",
        title="Renata Duarte receives the Whitlock Prize for developmental biology",
        author="jonah-feldkamp",
        date="2024-11-19 18:00",
        section="news",
        topics=("muscles-and-skeleton",),
        tags=("awards",),
        body="""
<strong>Dr. Renata Duarte</strong>, who studies how fish and salamanders regrow lost tissue,
has been awarded the Whitlock Prize for developmental biology. The prize recognises a body of
work by a researcher in the middle of their career.

Duarte joined the institute eleven years ago. Her laboratory is best known for its work on
zebrafish fins, which regrow to the same shape after injury, and for a set of tools that let
researchers follow single cells as tissues rebuild.

## In her words

"Regeneration looks like magic until you watch it one cell at a time," Duarte said when the
award was announced. "Then it looks like a very well-run building site. I have been lucky to
spend my career watching it with people who are better at this than I am."

She plans to use the prize money to fund summer places for undergraduate students in her
laboratory.

The prize will be presented at a ceremony in the spring. Colleagues who would like to send
congratulations can write to the laboratory at
<a href="mailto:duarte-lab@example.org">duarte-lab@example.org</a>.
""",
    ),
    Draft(
        slug="lab-grown-airways-show-how-the-lung-repairs-itself",
        title="Lab-grown airways show how the lung repairs itself after injury",
        author="mara-okafor",
        date="2025-01-14 17:00",
        section="news",
        topics=("heart-lung-and-blood",),
        tags=("organoids",),
        excerpt_only=True,
        image=("airway-organoid.png", "A cross-section of a lab-grown airway"),
        body="""
The lining of our airways takes a beating: smoke, viruses and pollution damage it every day,
and every day it repairs itself. Researchers led by <strong>Dr. Odalys Carrión</strong> have
grown small airways in the lab to watch that repair as it happens.

The airway organoids form hollow tubes lined with the same cell types found in the lung:
cells with beating hairs that sweep mucus away, cells that make the mucus, and a layer of
basal stem cells underneath.

## Watching a wound close

When the team damaged the lining, the basal stem cells crawled into the gap within hours and
began to divide. Which cells they became depended on signals from the surrounding tissue;
without the right mix, the repair produced too many mucus-making cells, a pattern seen in
chronic lung disease.

"We can now ask why repair sometimes goes wrong, in a dish, with human cells," Carrión said.

The team plans to compare organoids grown from the cells of healthy donors with those from
people living with lung disease.
""",
    ),
    Draft(
        slug="melanomas-stem-like-cells-hide-in-plain-sight",
        title="Melanoma's stem-like cells hide in plain sight",
        author="hana-sorli",
        date="2025-02-18 17:30",
        section="news",
        topics=("cancer", "skin-and-hair"),
        tags=("crispr", "single-cell-sequencing"),
        body=f"""
Melanoma, a cancer of the pigment cells in the skin, is notorious for coming back after
treatment. A study from <strong>Dr. Benedikt Ühlmann</strong>'s laboratory finds that a small
group of tumour cells takes on features of the stem cells that normally make pigment cells,
and that these cells are the ones left behind after treatment.

Using single-cell sequencing, the team read the active genes of more than 80,000 cells from
tumour samples. Around one cell in fifty looked like a pigment stem cell: slow to divide, low
in pigment, and rich in genes for repairing damage.

{
            table(
                ("Sample", "Cells read", "Stem-like cells", "Share"),
                [
                    ("Before treatment", "41,200", "790", "1.9%"),
                    ("After two weeks", "22,600", "2,150", "9.5%"),
                    ("At relapse", "18,900", "610", "3.2%"),
                ],
                "Stem-like cells become far more common during treatment, then fade again.",
            )
        }

## Not a fixed type

The stem-like cells were not a separate lineage. Ordinary tumour cells could become stem-like
under stress and change back later. A CRISPR screen found a handful of genes the cells need to
make the switch.

"You cannot cut out a population that keeps being reborn," Ühlmann said. "You have to stop the
switch."
""",
    ),
    Draft(
        slug="alumni-spotlight-from-the-bench-to-a-start-up-in-zurich",
        title="Alumni spotlight: from the bench to a biotech start-up in Zürich",
        author="jonah-feldkamp",
        date="2025-03-25 16:00",
        section="news",
        topics=("kidney",),
        tags=("alumni", "mentoring"),
        excerpt_only=True,
        body="""
<strong>Wren Castellano</strong> spent five years growing kidney organoids at the institute.
Today she runs a company of fourteen people in Zürich that builds small devices for testing
drugs on lab-grown tissue.

"I did not plan to start a company," she said on a visit back to campus. "I planned to finish
my postdoc. But we kept building gadgets to keep the organoids alive, and other labs kept
asking to borrow them."

## Advice for current trainees

Castellano's advice for people thinking about leaving the bench:

- Talk to people who left and people who stayed, and ask them what they miss
- Learn to explain your work in one minute, then in ten
- Keep a list of problems you ran into that nobody has solved

She credits the institute's mentoring programme, and in particular a second mentor from the
engineering school, with showing her that the gadgets might be worth more than a methods
section.

Her company now sponsors a summer place for an undergraduate student in the organoid core.
""",
    ),
    Draft(
        slug="new-grant-funds-a-cell-atlas-of-the-aging-kidney",
        title="New grant funds a cell atlas of the aging kidney",
        author="mara-okafor",
        date="2025-05-06 17:00",
        section="news",
        topics=("kidney", "aging"),
        tags=("grants", "single-cell-sequencing"),
        body=f"""
A five-year grant will allow a team at the institute to map every type of cell in the human
kidney across the adult lifespan, from people in their twenties to people in their nineties.

The kidney loses filtering units steadily with age; by eighty, many people have lost a third
of them. Why some units fail and others keep working is not known. The atlas is meant to
give researchers a reference: what a healthy kidney looks like, cell by cell, at each age.

## The plan

The work is led by <strong>Dr. Ilse Marchetti</strong>, whose group grows kidney organoids
(see <a href="[[root:kidney-organoids-grow-their-own-blood-vessels]]">vessels in a dish</a>),
with partners in pathology and data science.

{
            table(
                ("Year", "Main goal", "Samples"),
                [
                    ("1", "Set up tissue collection and quality checks", "40"),
                    ("2–3", "Single-cell sequencing of donor tissue", "220"),
                    ("4", "Compare the atlas with organoids", "60"),
                    ("5", "Release the atlas and the tools to browse it", "—"),
                ],
                "The grant's timeline. Sample numbers are donor tissues, not cells.",
            )
        }

All the data will be released openly, with the tools to browse it, at the end of the grant.
"We want a student anywhere to be able to ask what a 70-year-old kidney cell is doing," said
Marchetti.
""",
    ),
    Draft(
        slug="cartilage-made-from-skin-cells-eases-joint-damage-in-mice",
        title="Cartilage made from skin cells eases joint damage in mice",
        author="tomas-reyes-lindqvist",
        date="2025-07-08 17:00",
        section="news",
        topics=("muscles-and-skeleton",),
        excerpt_only=True,
        body="""
Cartilage, the smooth tissue that lines our joints, does not heal well. Once it wears away,
as it does in osteoarthritis, bone grinds on bone. A study from <strong>Dr. Mireille
Okonjo-Baptiste</strong>'s laboratory shows that cartilage grown from reprogrammed skin cells
can patch damaged joints in mice.

The team first turned skin cells into stem cells, then guided them step by step toward
cartilage, a process that took about six weeks. The resulting tissue was implanted into
small injuries in the knee joints of mice.

## Results after three months

Mice that received the implants walked more evenly and showed less wear on the joint surface
than untreated mice. The new cartilage had fused with the old, with no sign of tumours, a
concern with any therapy made from reprogrammed cells.

"Mouse knees are tiny and forgiving," Okonjo-Baptiste said. "The next test is a larger joint
that carries real weight."

The researchers are now working with veterinary surgeons to plan a study in dogs with
naturally occurring arthritis.
""",
    ),
    Draft(
        slug="why-zebrafish-can-regrow-a-heart-and-we-cant",
        title="Why zebrafish can regrow a heart and we can't",
        author="tomas-reyes-lindqvist",
        date="2025-07-29 17:00",
        section="news",
        topics=("heart-lung-and-blood",),
        tags=("zebrafish",),
        image=("zebrafish-heart.png", "A regenerating zebrafish heart, muscle in red"),
        body="""
After a heart attack, human heart muscle that dies is replaced by scar. A zebrafish that loses
a fifth of its heart grows the muscle back in about two months, with barely a trace of scar.

<strong>Dr. Teodor Vasquez-Lin</strong> has spent a decade asking what the fish does that we
do not. His group's latest study points to the immune system: in the fish, the immune cells
that rush to the injury leave early, and the ones that stay help muscle cells divide.

## Early exits

In mammals, the first wave of immune cells lingers and scar-forming cells take over. When the
team kept those immune cells around longer in the fish, by blocking the signal that sends
them away, the fish hearts scarred like ours.

"The fish heart is not made of better muscle," Vasquez-Lin said. "It has better timing."

## Related reading

The same laboratory made a short film about its fish, which you can watch in
<a href="[[short:video-three-minutes-with-a-zebrafish-heart]]">our video section</a>. For the
fin work that inspired much of this, see
<a href="[[abs-bare:zebrafish-fins-hint-at-how-bone-remembers-its-shape]]">Duarte's study</a>.
""",
    ),
    Draft(
        slug="a-new-microscope-sees-retinal-organoids-at-half-a-micron",
        title="A new microscope sees retinal organoids at 0.5 µm resolution",
        author="priya-vaidyanathan",
        date="2025-09-03 10:00",
        updated="2025-09-05 14:20",
        section="news",
        topics=("eye-and-vision",),
        tags=("organoids",),
        image=("retina-light-sheet.png", "A retinal organoid imaged with a light-sheet"),
        body=f"""
The imaging core has installed a light-sheet microscope that can follow living retinal
organoids for days at a resolution of about half a micrometre, enough to watch single cells
divide and move into place.

Retinal organoids are small cups of tissue that develop, over months, the layers of a real
retina, including light-sensing cells. <strong>Dr. Sunniva Rask</strong>, whose group studies
inherited blindness, has been waiting for an instrument like this for years.

{
            figure(
                "light-sheet-bench.png",
                "The new microscope on its bench",
                "The light-sheet microscope in the imaging core, shortly after installation.",
            )
        }

## How it compares

{
            table(
                ("Instrument", "Resolution", "Time per image", "Imaging time"),
                [
                    ("Confocal (old)", "0.8 ± 0.1 µm", "45 s", "Hours"),
                    ("Light-sheet (new)", "0.5 ± 0.05 µm", "4 s", "Up to 5 days"),
                ],
                "Measured by the imaging core on test beads.",
            )
        }

The light sheet illuminates only a thin slice of the sample at a time, so the cells receive
far less light, and live longer, than under older microscopes.

"For the first time we can see a light-sensing cell being born and follow it to where it
ends up," Rask said. Researchers who want to book time on the instrument can contact
<strong>Dr. Chiara Bellweather</strong>, who runs the imaging core.

<em>Updated September 5 with the booking contact.</em>
""",
    ),
    Draft(
        slug="glioblastoma-trial-begins-enrolling-patients",
        title="Glioblastoma trial begins enrolling patients",
        author="hana-sorli",
        date="2025-10-14 16:00",
        section="news",
        topics=("cancer", "brain"),
        tags=("clinical-trials",),
        excerpt_only=True,
        body="""
A small clinical trial at the institute's partner hospital has begun enrolling adults with
glioblastoma, the most common and aggressive brain tumour in adults. The trial tests whether
immune cells engineered to recognise a marker on the tumour's stem-like cells can be given
safely.

The trial is led by <strong>Dr. Yusuf Demir</strong>, a neuro-oncologist, and builds on work
with brain organoids grown at the institute. Tumour cells placed in the organoids behaved much
as they do in patients, invading the surrounding tissue, and gave the team a way to test the
engineered cells before any patient received them.

## What the trial will measure

1. Safety, at three increasing doses
2. Whether the engineered cells reach the tumour
3. Early signs of whether the tumour shrinks

"This is a first step, and a careful one," Demir said. "Glioblastoma has humbled a lot of
good ideas."

Twelve patients will take part. Details, including who is eligible, are listed on the trial
registry page linked from the hospital's website.
""",
    ),
    Draft(
        slug="grants-and-awards-roundup-autumn-2025",
        title="Grants & awards roundup — autumn 2025",
        author="jonah-feldkamp",
        date="2025-12-16 18:00",
        section="news",
        topics=("cancer", "brain"),
        tags=("grants", "awards"),
        body="""
The autumn brought a run of good news for researchers across the institute. Here is a
summary; the linked stories have more.

## Grants

1. The kidney atlas team received a supplement to add samples from people with diabetes,
   building on <a href="[[root-bare:new-grant-funds-a-cell-atlas-of-the-aging-kidney]]">the
   original grant</a>
2. <strong>Dr. Sunniva Rask</strong> won a three-year award to use the new light-sheet
   microscope (<a href="[[short:a-new-microscope-sees-retinal-organoids-at-half-a-micron]]">about
   the microscope</a>) for a study of inherited retinal disease
3. Two pilot grants went to new collaborations:
  - a study of muscle loss in cancer, pairing a cancer group with the Nakagawa-Brandt
    laboratory
  - a project on hair follicles in scar tissue, with the Haddad laboratory

## Awards

- <strong>Dr. Odalys Carrión</strong> was elected a fellow of a national society for lung
  research, in part for the airway organoid work described in
  <a href="[[rel:lab-grown-airways-show-how-the-lung-repairs-itself]]">this story</a>
- Graduate student <strong>Ines Halvorsen-Mbeki</strong> won a poster prize at a regeneration
  meeting in Lisbon
- The Whitlock Prize, awarded to Dr. Renata Duarte
  (<a href="[[abs:renata-duarte-receives-the-whitlock-prize]]">announced last year</a>), was
  presented at a ceremony in November

Congratulations to all. Send news for the next roundup to the communications office.
""",
    ),
    Draft(
        slug="skin-grafts-grown-from-a-patients-own-cells-pass-a-safety-milestone",
        title="Skin grafts grown from a patient's own cells pass a safety milestone",
        author="priya-vaidyanathan",
        date="2026-01-13 17:00",
        section="news",
        topics=("skin-and-hair",),
        tags=("clinical-trials",),
        excerpt_only=True,
        body="""
Sheets of skin grown from a patient's own stem cells have been grafted safely onto chronic
wounds in the first six people in an early-stage trial, the study team reports.

The grafts are made from a small biopsy. Skin stem cells from the sample are expanded in the
laboratory for about three weeks and grown into a thin sheet that can be laid on a wound. Because
the cells are the patient's own, there is no risk of rejection.

## The first six patients

All six had wounds that had not healed in more than a year. After three months:

- no graft caused an infection or an immune reaction
- four of the six wounds had closed fully
- two had shrunk by more than half

"Safety was the question for this stage, and the answer so far is good," said
<strong>Dr. Amira Haddad</strong>, who leads the laboratory side of the work. "Whether the
grafts work better than current care is a question for a larger trial."

The team is now preparing that trial, which will compare the grafts with standard dressings.
""",
    ),
    Draft(
        slug="muscle-wasting-in-cancer-traced-to-a-signal-from-tumors",
        title="Muscle wasting in cancer traced to a signal from tumors",
        author="hana-sorli",
        date="2026-02-24 17:00",
        section="news",
        topics=("cancer", "muscles-and-skeleton"),
        excerpt_only=True,
        body="""
Many people with advanced cancer lose muscle even when they eat well, a condition called
cachexia that weakens patients and makes treatment harder to bear. A collaboration funded by
one of last year's pilot grants has traced part of the problem to a signal sent by tumours to
the stem cells in muscle.

The signal keeps muscle stem cells from maturing. They divide, but their daughters do not
fuse into fibres, so the muscle cannot replace what it loses. In mice with tumours, blocking
the signal preserved about half of the muscle that would otherwise have been lost.

## A meeting of two fields

The project pairs a cancer laboratory with the group of <strong>Dr. Felix
Nakagawa-Brandt</strong>, which studies muscle stem cells in ageing.

"We knew what old stem cells look like when they stall," Nakagawa-Brandt said. "These looked
very similar, in much younger animals."

The team is now checking whether the same signal is raised in blood samples from patients.
""",
    ),
    Draft(
        slug="old-blood-stem-cells-rejuvenated-by-a-change-of-diet-in-mice",
        title="Old blood stem cells rejuvenated by a change of diet in mice",
        author="mara-okafor",
        date="2026-04-28 17:00",
        section="news",
        topics=("heart-lung-and-blood", "aging"),
        excerpt_only=True,
        body="""
Blood stem cells change as we age: they make fewer immune cells of some kinds, more of others,
and they carry more damage. A study from <strong>Dr. Kwabena Osei-Bonsu</strong>'s laboratory
finds that some of those changes can be reversed in mice by a change in diet.

Old mice fed a diet low in one amino acid for two months had blood stem cells that looked,
by several measures, younger. They produced a more balanced mix of immune cells and rebuilt
the blood system better when transplanted.

## Not a recipe

The researchers warn against reading the study as dietary advice. The diet was strict and
carefully controlled, and some of the mice lost weight. "We are learning which levers matter,"
Osei-Bonsu said. "That is different from knowing which lever a person should pull."

The lab now wants to know how the amino acid is sensed by the stem cells, and whether a drug
could produce the same effect.
""",
    ),
    Draft(
        slug="eye-drops-made-from-stem-cell-secretions-tested-on-corneal-wounds",
        title="Eye drops made from stem-cell secretions tested on corneal wounds",
        author="priya-vaidyanathan",
        date="2026-06-09 17:00",
        section="news",
        topics=("eye-and-vision",),
        tags=("clinical-trials",),
        body="""
The cornea, the clear window at the front of the eye, usually heals quickly. But some wounds
refuse to close, and they can leave scars that cloud vision. A team at the institute is
testing eye drops made from the proteins that corneal stem cells release into their
surroundings.

In laboratory tests, the drops helped corneal cells migrate into a wound twice as fast as
untreated cells. A small study in patients with slow-healing wounds is now under way.

## How the drops are made

1. Corneal stem cells from donated tissue are grown in the laboratory
2. The liquid they grow in, rich in the proteins they release, is collected and filtered
3. The proteins are concentrated and made into sterile drops

No cells go into the eye, which makes the treatment simpler to make and to regulate than a
cell therapy, said <strong>Dr. Sunniva Rask</strong>.

An earlier version of this page embedded an interactive map of the trial sites that no longer
works; <a href="javascript:void(openTrialMap())">the map link</a> is kept here only for the
record, and the list of sites is on the trial registry.
""",
    ),
    Draft(
        slug="brain-organoids-with-working-blood-vessels-survive-for-a-year",
        title="Brain organoids with working blood vessels survive for a year",
        author="priya-vaidyanathan",
        date="2026-08-11 17:00",
        section="news",
        topics=("brain",),
        tags=("organoids",),
        excerpt_only=True,
        image=("brain-organoid-vessels.png", "A brain organoid with vessels in red"),
        body="""
Brain organoids, the small clusters of brain tissue grown from stem cells, usually have a
hollow, dying core: oxygen cannot reach the middle. Researchers at the institute have adapted
a method first developed for kidney organoids to give brain organoids their own vessels, and
the result is tissue that stays healthy for more than a year.

The vessels carry fluid through the organoid, and the nerve cells around them grow denser,
more mature connections than in organoids without vessels. Some began to fire in coordinated
waves, a pattern seen in the developing brain.

## Borrowed from the kidney

The method builds on <a href="[[abs:kidney-organoids-grow-their-own-blood-vessels]]">work
in the Marchetti laboratory</a>, which added a population of vessel-forming cells to kidney
organoids. "We changed the ingredients, but the idea is theirs," said the study's first
author.

## Uses

Long-lived brain organoids could help with the study of diseases that develop slowly, such
as some forms of dementia, and with testing whether drugs can cross into brain tissue.
""",
    ),
    Draft(
        slug="kidney-cells-memory-of-injury-mapped-one-cell-at-a-time",
        title='Kidney cells\' "memory" of injury mapped one cell at a time',
        author="mara-okafor",
        date="2026-09-22 17:00",
        section="news",
        topics=("kidney",),
        tags=("single-cell-sequencing",),
        body="""
A kidney that recovers from an acute injury is not quite the kidney it was before. Years
later, it is more likely to fail. The first results from the institute's kidney atlas
suggest why: cells that survive an injury keep a record of it in the way their DNA is
packaged.

The team compared single-cell maps of kidneys from donors with and without a past injury.
Cells in the tubules of injured kidneys had genes for inflammation left "unlocked", ready to
switch on again quickly.

## Two sides of memory

A memory of injury could help a kidney respond faster the next time, the researchers note.
But it may also keep low-level inflammation going for years. The balance between the two may
decide whether the kidney recovers or slowly declines.

- What the atlas shows:
  - unlocked inflammation genes in tubule cells
  - fewer healthy filtering units near scarred areas
- What it does not yet show:
  - whether the memory can be erased
  - whether erasing it would help

The full atlas release is planned for the end of the grant; early data are in
<a href="[[root:new-grant-funds-a-cell-atlas-of-the-aging-kidney]]">the grant's pages</a>.
""",
    ),
)
