"""The 2024 Impact Report: the sample site's one very long article (over 5,000 words).

It gives the reader a real test of scrolling, headings and reading time. The institute, its
people and its numbers are all invented.
"""

from __future__ import annotations

from reader.sample.draft import Draft, figure, pullquote, table

_LETTER = """
## A letter from the director

Ten years ago this spring, four laboratories moved into a building that was not quite
finished. The lifts worked on alternate days. The freezers arrived before the benches, and for
a month our first graduate students ran experiments on folding tables in a corridor. We had one
microscope, borrowed from the department next door, and a great deal of optimism about what
stem cells might do for medicine.

Some of that optimism turned out to be premature. Some of it was not nearly ambitious enough.
When the institute was founded, growing a miniature kidney in a dish was a hope written into
grant applications; today our organoid core ships tens of thousands of them a year to
laboratories on three continents. When we began, no patient had received a treatment that
started in our building. Today three clinical trials are under way, and two more are being
prepared.

This report is an attempt to take stock. It is longer than our usual annual report, because
ten years is a long time and because we wanted to be honest about the things that did not
work as well as the things that did. You will find the usual numbers (papers, grants,
trainees, dollars) but also the stories behind them, told as far as possible by the people who
lived them.

I want to thank, first, the researchers, students and staff who built this place. A research
institute is not its building or its equipment. It is the habit of a few hundred people of
asking each other for help, lending each other reagents, reading each other's drafts and
turning up to each other's talks. That habit is fragile. It has to be renewed by every new
cohort of students, and I am proud of how well it has been renewed.

I also want to thank the patients and families who have given us their time, their tissue and
their trust. Much of the work described here began with a sample donated by someone who knew
it would not help them, but hoped it might help someone else. We try to remember that every
day.

Finally, thank you to our funders: the public agencies, foundations, companies and individual
donors whose support is listed at the end of this report. Science moves slowly and
unpredictably. Funders who are willing to wait, and to accept that some experiments will
fail, make the rest possible.

<em>Dr. Rohan Adeyemi-Clarke, Director</em>
"""

_DECADE = """
## A decade in brief

The institute was created with a simple brief: to bring together researchers who study how
tissues form, how they repair themselves and how they fail, and to give them shared tools that
no single laboratory could afford. The founding idea was that a kidney biologist and a
heart biologist, working on different organs, face many of the same problems, and that they
would solve those problems faster together than apart.

Ten years later, the numbers below give a rough sense of how that idea has grown. They are not
the measure of our success (a single paper can matter more than a hundred) but they are the
scaffolding on which the rest of this report hangs.
"""

_TENTH_YEAR = """
### The tenth year

Anniversaries invite looking back, but 2024 was a busy year in its own right. Three new
laboratories opened, bringing the total to thirty-one. The organoid core shipped more
organoids than in any previous year, and for the first time more of them went to laboratories
outside the university than inside it. Our symposium, on the theme of rebuilding tissue,
filled the largest lecture hall on campus
(<a href="[[rel:stem-cell-symposium-2024-rebuilding-tissue]]">see the programme</a>), and our
café evenings moved to a larger café after the first one turned people away at the door.

Five postdocs received fellowships, the largest cohort since the programme began
(<a href="[[root:five-postdocs-win-fellowships-for-early-career-research]]">meet them</a>).
Twenty high school students spent three weeks in the teaching laboratory. And a good deal of
science was done: papers on kidney organoids that grow their own blood vessels, on the gene
that keeps blood stem cells at rest, on the daily rhythm of muscle stem cells, and on how
leukemia cells hide from treatment, among many others.

The year also brought setbacks. A long-planned trial was delayed by problems with the
manufacturing of its cells, and two grant renewals were not funded in their first round.
Both renewals have since been resubmitted. We mention them because a report that only lists
successes gives a false picture of how research works.
"""

_BEGINNINGS = """
## How it began

The institute grew out of a series of lunches. In the early 2010s, a handful of researchers
scattered across four departments discovered that they were all trying to grow human tissue
from stem cells, and all running into the same walls. Cells that behaved perfectly in one
laboratory refused to cooperate in another. Media recipes were guarded like family secrets.
Every group was building its own imaging set-up, its own cell-sorting workflow and its own
database, and none of them were very good.

The lunches became a monthly seminar, and the seminar became a proposal. The proposal asked
the university for something unusual: not a building for one famous scientist, but a shared
home for several groups of different sizes, with a set of common facilities run by
professional staff. The university agreed to provide the space if the founders could raise
money for the facilities. It took two years.

The first four laboratories studied blood, the kidney, fish regeneration and the developing
brain. Their leaders had different styles and occasionally different opinions about almost
everything, including the colour of the lab coats. What they shared was a conviction that
their students should be able to walk down a corridor and ask an expert in a different organ
for help, and that the expert would say yes.

That conviction shaped the building. Laboratories have no walls between them on each floor;
the offices are arranged around a shared kitchen; the seminar room is in the middle, not at
the end of a corridor. Visitors often remark on the noise. We take it as a good sign.

It also shaped the way we hire. From the beginning, new faculty have been chosen partly for
the problems they would bring that the existing groups could not solve alone. When the
kidney group needed better imaging, we recruited an imaging scientist rather than buying a
microscope and hoping someone would learn to use it. When the blood group needed better ways
to read single cells, we hired a computational biologist and gave her a seat on the
institute's steering committee.

Not every early decision aged well. We built too little freezer space and spent years
renting more. We underestimated how many people would want to use the organoid core and how
quickly. We were slow to bring patients and clinicians into our planning, a mistake we
describe later in this report. But the basic idea, that shared tools and shared corridors
make better science, has held up.
"""

_RESEARCH_INTRO = """
## Research: what ten years built

What follows is a tour of our research by organ system. It cannot be complete: the institute
has published well over a thousand papers, and the work of many excellent groups is
necessarily summarised in a sentence or not at all. We have tried to pick the threads that
best show how the institute's shared approach has paid off, and to be clear about what is
still unknown.
"""

_BLOOD = """
### Blood and the bone marrow

Blood stem cell transplants have been used in medicine for more than half a century, which
makes the blood system the oldest success story in the stem cell field. It is also, still,
one of its great puzzles. We do not fully understand how a few thousand stem cells in the
bone marrow sustain the production of billions of blood cells a day for a lifetime, nor why
that system falters with age.

Our blood groups have focused on one aspect of that puzzle: rest. Blood stem cells spend most
of their time doing nothing, and that quiet appears to protect them. Last year, a CRISPR
screen in the Osei-Bonsu laboratory identified a gene that holds the cells at rest
(<a href="[[abs:a-crispr-screen-finds-the-switch-that-keeps-blood-stem-cells-quiet]]">read the
story</a>), and a follow-up study with the Ferreira-Quint laboratory showed that some leukemia
cells hijack the same machinery to hide from chemotherapy.

These findings have practical consequences. Transplant doctors would like to expand blood
stem cells in the laboratory before a transplant, so that a small donation can treat more
patients, but expanding the cells tends to exhaust them. Knowing which genes keep them quiet
may help us expand them without wearing them out. Two of our groups are now working with a
transplant centre on exactly that problem.

The blood groups have also been the institute's most enthusiastic users of single-cell
sequencing, which reads the active genes of individual cells. In the early years this was an
exotic, expensive technique; today our sequencing core runs it every week, and the blood
groups have helped design the analysis methods the rest of the institute uses.
"""

_HEART = """
### The heart

Human heart muscle does not regrow. After a heart attack, the muscle that dies is replaced
by scar, and the heart that remains must work harder for the rest of the patient's life. A
zebrafish, by contrast, can lose a fifth of its heart and grow it back in two months.

The Vasquez-Lin laboratory joined the institute in its third year to ask what the fish does
that we cannot. Their answer, built up over several studies, has less to do with the heart
muscle itself than with the cells around it, in particular the immune cells that arrive after
an injury. In fish, the first wave of immune cells leaves early; in mammals it stays, and
scar-forming cells take over. The laboratory's short film about this work
(<a href="[[root:video-three-minutes-with-a-zebrafish-heart]]">watch it here</a>) has become
one of our most viewed.

In parallel, other groups have learned to make heart muscle cells from human stem cells in
large numbers. These cells beat in a dish, respond to drugs much as real heart muscle does,
and are now used by several pharmaceutical companies to test new medicines for side effects
on the heart. That application, which seemed like a side project ten years ago, may turn out
to be the heart programme's most immediate contribution to patient safety.

The harder goal, patching a damaged human heart with new muscle, remains out of reach.
Implanted heart cells survive poorly and can disturb the heart's rhythm. We are cautiously
optimistic that lessons from the fish, about timing the immune response, will help.
"""

_LUNG = """
### The lung

The lung was the last major organ to join our research programme, and for a long time it was
the one we understood least. Its lining is renewed slowly in health but can repair itself
remarkably quickly after an injury, and the stem cells responsible for that repair sit in
several different places along the airways, each with its own habits. Studying them in living
people is nearly impossible, and mouse lungs differ from ours in important ways.

The Carrión laboratory, which arrived in our ninth year, has begun to change that. Its members
grow small human airways in the laboratory: hollow tubes lined with the cells that sweep mucus
out of the lung, the cells that make the mucus, and the basal stem cells beneath them. When
the lining of these airways is damaged, the stem cells crawl into the wound and rebuild it,
and the team can watch every step.

Early results suggest that repair can go wrong in two opposite ways. Too little, and the
wound stays open; too much of the wrong kind, and the airway fills with mucus-making cells, a
pattern familiar from chronic lung disease. Both outcomes depend on signals from the tissue
around the stem cells, and both can be changed in the dish. The laboratory is now growing
airways from the cells of people with lung disease to see which signals differ.

It is too early to say where this work will lead. But it has already given the institute a
new way to think about injuries that heal badly, and it connects naturally with our work on
blood and the immune cells that arrive at every wound.
"""

_KIDNEY = """
### The kidney

The kidney is a difficult organ to rebuild. It contains more than twenty types of cell,
arranged into about a million filtering units, each connected to a long tube that recovers
water and salts. When kidneys fail, patients depend on dialysis or on a transplant, and there
are far more patients than donated organs.

Our kidney groups have spent a decade learning to grow kidney tissue in the laboratory. The
early organoids were crude: clusters of cells with a few recognisable structures. The
organoids made today have filters, tubules and, since last year, their own blood vessels
(<a href="[[short:kidney-organoids-grow-their-own-blood-vessels]]">read how</a>). They are
not kidneys, and they cannot replace one, but they are good enough to study how inherited
kidney diseases develop and to test drugs on human tissue.

The organoid protocols developed here have been shared with more than two hundred
laboratories, and the organoid core now grows kidney organoids to order. Several of those
laboratories have used them to study rare genetic kidney diseases that affect too few people
to attract much research on their own, and three have found drug candidates that are now
being tested further.

The next step is to understand the kidney as it ages. A new project, supported by a
multi-year grant, will map every cell type in the kidney across the adult lifespan, and
compare the map with what we can grow in a dish.
"""

_BRAIN_EYE = """
### The brain and the eye

Brain organoids have attracted more public attention than any other part of our work, not
all of it accurate. They are small clusters of brain tissue, a few millimetres across, grown
from stem cells. They contain many of the cell types of the developing brain, arranged in
layers that resemble those of the early cortex. They do not think or feel. They are, however,
one of the few ways to study how the human brain develops, and what goes wrong in
developmental disorders.

Our brain groups have used organoids to study how nerve cells are born and how they migrate
to their final positions, and to model conditions in which that migration fails. A
collaboration with a children's hospital has compared organoids grown from the cells of
children with and without a rare developmental disorder, and found differences in how quickly
the cells mature. A film about how the organoids are grown is in preparation.

The eye is, in a sense, an outgrowth of the brain, and our retinal research began as a branch
of the brain programme. The Rask laboratory now grows retinal organoids that develop the
layered structure of a real retina over several months, including light-sensing cells. The
laboratory's time-lapse film of a retina folding into shape
(<a href="[[abs:video-how-a-retina-grows-in-three-weeks]]">watch it</a>) shows how far the
field has come.

The long-term hope is to replace light-sensing cells lost to inherited blindness. That is
still many years away. In the meantime, retinal organoids grown from patients' own cells are
helping to show which genetic variants cause disease and which are harmless, a question that
matters to families today.
"""

_TISSUES = """
### Skin, muscle and bone

Some of our most surprising findings have come from tissues that regenerate all the time. The
skin renews itself every few weeks; hair follicles go through cycles of growth and rest
throughout life; muscle repairs small injuries constantly. Studying how these tissues keep
going, and why they slow down with age, has turned out to be a window into ageing itself.

Work in the Haddad laboratory has shown that hair follicle stem cells take instructions from
their neighbours, including the fat beneath the skin. The Nakagawa-Brandt laboratory has found
that muscle stem cells keep a daily rhythm that fades with age
(<a href="[[rel:muscle-stem-cells-lose-their-rhythm-with-age]]">read the story</a>), and that
some of that rhythm can be restored in mice by changing when they eat.

Bone is a younger part of the programme. The Duarte laboratory's work on zebrafish fins,
which regrow to exactly the right shape, has raised new questions about how tissues measure
their own size, and a newer group is working on cartilage grown from reprogrammed cells. The
Whitlock Prize awarded to Dr. Renata Duarte last year
(<a href="[[abs:renata-duarte-receives-the-whitlock-prize]]">read more</a>) recognised two
decades of patient work on exactly these questions.
"""

_CANCER = """
### Cancer

Cancer was not one of the institute's founding themes, but it arrived quickly. Many cancers
contain cells that behave like stem cells: they divide slowly, resist treatment and can
regrow a tumour. Understanding normal stem cells turned out to be a good way of understanding
these cancer cells, and several of our groups now work on both.

The most developed thread concerns blood cancers. The discovery that leukemia cells shelter
from chemotherapy by borrowing the resting programme of healthy stem cells came directly from
basic work on how blood stem cells rest. A similar story is emerging in melanoma, where a
small population of tumour cells takes on features of pigment stem cells and survives
treatment.

Brain tumours are a newer focus. Organoids grown at the institute have proved to be a useful
place to watch glioblastoma cells invade healthy tissue, and to test new treatments before
they reach patients. A small trial based partly on that work is being prepared with a partner
hospital.

We want to be careful about how we talk about this work. Cancer research generates more
headlines than cures, and patients deserve realistic expectations. What we can say is that the
stem cell view of cancer has changed how several of our clinical colleagues think about
relapse, and that it has produced concrete ideas that are now being tested.
"""

_CORES = """
## The cores: shared tools for everyone

If there is one thing the institute got right from the start, it is the cores: shared
facilities, staffed by specialists, that any laboratory can use. A graduate student in a
small laboratory has access to the same microscopes, sequencers and organoid expertise as a
postdoc in the largest. The cores also carry knowledge across laboratories: the staff see
every kind of experiment, and they are often the first to notice that two groups are solving
the same problem.

We now run five cores:

1. <strong>The organoid core</strong>, which grows organoids of the kidney, brain, airway and
   retina to order, and trains researchers to grow their own
2. <strong>The imaging core</strong>, with confocal, light-sheet and electron microscopes, and
   staff who help design experiments as well as run them
3. <strong>The sequencing core</strong>, which runs bulk and single-cell sequencing and helps
   with the analysis
4. <strong>The cell sorting core</strong>, which separates cells by the markers on their
   surface
5. <strong>The zebrafish facility</strong>, home to several thousand fish and the laboratories
   that study them

The cores are funded by a mixture of user fees, grants and the institute's endowment. Keeping
fees low enough that small laboratories can afford them, while paying staff properly and
replacing equipment before it fails, is a constant balancing act. Over the decade we have
learned that the most valuable thing a core can offer is not an instrument but a person who
knows how to use it and who has time to explain.

The organoid core deserves a special mention. It began as two people in a borrowed room and
now employs twelve. It has trained more than eight hundred researchers from inside and
outside the university, and its protocols are among the most downloaded documents on our
website. A short film about its work
(<a href="[[abs-bare:video-inside-the-organoid-core-facility]]">watch it here</a>) gives a
sense of the care involved.
"""

_CLINIC = """
## From the dish to the clinic

Ten years ago, we wrote that we hoped to see our research reach patients within a decade. We
were right about the timescale, if not always about the route. The treatments now being
tested did not all come from the projects we expected, and the slowest part of the journey
was rarely the science.

Three trials are under way or about to begin:

1. A trial of skin grafts grown from patients' own stem cells, for wounds that have not healed
   in more than a year
2. A trial of engineered immune cells against glioblastoma, developed with the help of brain
   organoids
3. A trial of eye drops made from proteins released by corneal stem cells, for slow-healing
   corneal wounds

Two more are in preparation, one using cartilage grown from reprogrammed cells and one testing
a drug that pushes dormant leukemia cells back into division. Each of these projects has
needed not only good science but also manufacturing facilities that meet clinical standards,
regulatory expertise, and clinicians willing to take on the extra work of running a trial.

One lesson we learned the hard way is that patients should be involved from the start. Our
first attempt at a skin graft trial was delayed by more than a year because the procedure we
had designed was too demanding for the patients who most needed it; they could not attend the
number of clinic visits it required. Since then, every clinical project has included patient
advisers from its earliest planning meetings. They have improved every one.

We also want to acknowledge the growth of clinics selling unproven stem cell treatments
directly to the public. These clinics charge large sums for treatments that have not been
tested and can cause harm. Our researchers have given public talks on how to tell an honest
trial from a sales pitch, and we will continue to do so.
"""

_OPEN_SCIENCE = """
## Sharing what we make

From our first year, we decided that the protocols, cell lines and data produced here should
be shared as widely as possible. The reasoning was partly principled (much of our funding is
public, and the public should get the most from it) and partly practical. A protocol that only
works in one laboratory is not a protocol; it is a habit. Sending our methods out into the
world is the fastest way to find out whether they really work.

In practice, sharing has taken more effort than we expected. A method that a student can run
after two years in the laboratory has to be rewritten, step by step, before a stranger can
follow it, and the rewriting often uncovers steps that no one had thought to write down. The
organoid core now employs a staff scientist whose main job is to test our protocols in the
hands of people who have never seen them before, and to fix what breaks.

Cell lines are harder still. Every line we distribute must come with consent that allows it,
records of how it was made and tested, and agreements that protect the donors' privacy. We
have distributed more than three hundred lines, each with that paperwork, and we turn down
requests we cannot honour.

Data are the newest frontier. Single-cell studies produce enormous files that are only useful
with careful labels, and many published data sets are, in practice, impossible to reuse. Our
sequencing core now prepares every data set for public release as part of the experiment,
not after the paper is written, and the kidney atlas will be released openly along with the
tools to explore it.
"""

_VOICES = """
## Voices from the decade

We asked people who have worked here, for a week or for ten years, to tell us one thing they
remember. A few of their answers follow, lightly edited.

"The night the power failed in our second winter. Every laboratory on the floor carried its
samples to the one freezer with a backup generator, and nobody argued about the space. That
was when I knew this place would work." <em>A research technician, here since the first
year.</em>

"I came for a summer course when I was sixteen. I remember a graduate student letting me
press the button on a machine that cost more than my parents' house. I am now a graduate
student here, and I let the summer students press the button." <em>A third-year graduate
student.</em>

"My first experiment at the institute failed eleven times. My mentor from the engineering
school, who I had been assigned more or less at random, looked at it for five minutes and
asked why I was shaking the plates. I had been taught to. I stopped, and it worked." <em>A
former postdoctoral fellow, now running a laboratory of her own.</em>

"People ask whether it is hard to talk to patients about research that will not help them.
It is harder to talk to them about research that might, because you have to be honest about
how long it will take. The patients on our advisory board taught me how." <em>A clinician
working on the skin graft trial.</em>

"The fish do not care about grant deadlines. Someone has to feed them on holidays, and for ten
years someone always has." <em>A member of the zebrafish facility staff.</em>
"""

_TRAINING = """
## Training the next generation

The most important thing an institute produces is not papers but people. Over ten years,
more than four hundred graduate students and postdocs have trained in our laboratories.
About half now work in universities and research institutes; a third work in industry, in
companies ranging from large drug makers to start-ups of a dozen people; and the rest work in
medicine, teaching, science policy, publishing and a surprising range of other jobs.

We are proud of all of those paths. For many years, academic science treated anyone who left
the bench as a failure of training. We have tried hard to change that culture. Our career
night, now in its sixth year, brings back former members who work outside universities, and
our alumni network connects current trainees with people who have made every kind of move.
One of our alumni, now running a company in Zürich, recently described her path
(<a href="[[abs:alumni-spotlight-from-the-bench-to-a-start-up-in-zurich]]">read her
story</a>).

Two programmes have shaped our training more than any others. The postdoctoral fellowships,
started in our fourth year, give early-career researchers two years of funding to pursue their
own ideas, along with a second mentor from outside their own field. And the summer course for
high school students, started in our second year, brings twenty students a year into the
laboratory for three weeks. Several of its early participants are now graduate students
themselves, two of them at the institute.

We still have work to do. Our trainees remain less diverse than the city around us, and the
pay of postdocs has not kept up with the cost of living. We have raised the minimum postdoc
salary twice in the past three years and expanded our summer course stipends, but these are
first steps, not solutions.
"""

_COMMUNITY = """
## The community around us

An institute that asks the public for support owes the public an account of what it does. We
have tried to make that account accessible: through public lectures, open days, a café
science series, short films and this news site.

The café evenings have been a particular success. Held in a neighbourhood café rather than a
lecture hall, they put a researcher in front of an audience that has not come to be
impressed, and that asks the questions people actually have. "Is this stem cell clinic
legitimate?" is the most common. "Can you grow me a new knee?" is a close second.

Our open day, when the building opens its doors to visitors, now draws several hundred people
a year. Children build cells from clay, teenagers look through microscopes at beating heart
cells, and adults ask the zebrafish staff how the fish are cared for. We are always struck by
how much goodwill there is for research among people who rarely have a chance to see it done.

We have also learned from our neighbours. A community advisory board, set up five years ago,
meets twice a year to tell us what people in the surrounding neighbourhoods want to know, and
how we are perceived. Its members have pushed us to explain our animal research more openly,
to publish plain-language summaries of our papers, and to hold more events outside working
hours.
"""

_MONEY = """
## Where the money comes from, and where it goes

Research is expensive, and most of its cost is people. About two thirds of our spending goes
on salaries for researchers and staff; most of the rest goes on equipment, supplies and the
running of the cores. Almost all of it comes from competitive grants, which must be renewed
every few years, and from gifts.
"""

_MONEY_AFTER = """
The share of our funding that comes from gifts has grown steadily, from almost nothing in our
first year to about a fifth today. Gifts matter out of proportion to their size, because they
can be used for things grants rarely pay for: the first year of a risky project, the salary of
a core scientist, a stipend for a summer student. The fellowship programme and the summer
course were both started with gifts.

We are also conscious of our dependence on public funding, which has been unpredictable in
recent years. Building a more stable base, through an endowment for the cores and a reserve
that can bridge gaps between grants, is one of our goals for the next decade.
"""

_LESSONS = """
## What we learned

Ten years is long enough to make mistakes and, with luck, to learn from them. Here are some
of the lessons we would pass on to anyone building a research institute.

<strong>Shared tools need shared people.</strong> An expensive instrument with no one to run it
is a very expensive ornament. Every core we built succeeded in proportion to the quality and
stability of its staff, not the price of its equipment.

<strong>Protect the corridor.</strong> The informal conversations between groups are where many
of our best ideas began. As the institute grew, we had to work to keep them going: a shared
lunch once a week, a rule that every seminar ends with twenty minutes of questions, an annual
retreat where students present work from other groups.

<strong>Involve patients early.</strong> Every clinical project that brought patients into its
planning from the start went faster and more smoothly than those that did not.

<strong>Tell the truth about timescales.</strong> Stem cell research has suffered from promises
that could not be kept. We would rather disappoint people with an honest answer than raise
false hopes.
"""

_NEXT = """
## The next ten years

We will not try to predict the discoveries of the next decade; the last one taught us how
poor such predictions are. But we can say what we will try to build.

1. <strong>A cell atlas of ageing tissue.</strong> Starting with the kidney, we want to map how
   the cells of human organs change across the adult lifespan, and to make those maps freely
   available.
2. <strong>Organoids that grow up.</strong> Most organoids resemble fetal tissue. We want to
   grow organoids that mature, with blood vessels, immune cells and nerves, so that they can
   model diseases of adult life.
3. <strong>More trials, and better ones.</strong> We aim to have at least five treatments in
   clinical trials by the end of the decade, each planned with patients from the start.
4. <strong>A stable base for the cores.</strong> An endowment that guarantees the cores'
   staff and equipment, so that they can plan beyond the next grant.
5. <strong>A broader community of trainees.</strong> More students from the neighbourhoods
   around us, and better pay and support for everyone who trains here.

Some of these goals will take longer than ten years. Some will change as the science does.
We will report on our progress every year, including the parts that go badly.
"""

_THANKS = """
## Thank you

This report was written by the communications office with contributions from more than
forty members of the institute. We are grateful to everyone who shared their memories and
their photographs, and to the patient advisers who read drafts and told us where we were
being unclear.

If you would like to support the institute's work, or to learn more about any of the
programmes described here, please write to
<a href="mailto:giving@example.org">giving@example.org</a>. A printable version of this report
is available on request, and the figures in it can be downloaded from the
<a href="https://example.org/impact-2024/data.csv">report's data page</a>.
"""


def _body() -> str:
    numbers = table(
        ("", "2014", "2024"),
        [
            ("Laboratories", "4", "31"),
            ("Researchers, students and staff", "38", "412"),
            ("Research papers (that year)", "21", "188"),
            ("Active grants", "9", "131"),
            ("Organoids shipped by the core", "—", "38,400"),
            ("Clinical trials under way or in preparation", "0", "5"),
        ],
        "The institute in its first and tenth years.",
    )
    money = table(
        ("Source", "Share of 2024 funding"),
        [
            ("Federal research grants", "52%"),
            ("Foundations and charities", "21%"),
            ("Gifts from individuals and families", "19%"),
            ("Industry partnerships and licensing", "5%"),
            ("University support", "3%"),
        ],
        "Shares are rounded and may not add up to exactly 100%.",
    )
    building = figure(
        "institute-building-2014.png",
        "The institute's building in 2014, scaffolding still up",
        "The building in the spring of 2014, a few weeks before the first laboratories moved in.",
    )
    quote = pullquote(
        "Ten years ago we had four laboratories and a borrowed microscope. What we had most of "
        "was the habit of asking each other for help.",
        "Dr. Rohan Adeyemi-Clarke",
    )
    return "\n\n".join(
        (
            _LETTER,
            _DECADE,
            numbers,
            _TENTH_YEAR,
            _BEGINNINGS,
            building,
            _RESEARCH_INTRO,
            _BLOOD,
            _HEART,
            _LUNG,
            _KIDNEY,
            _BRAIN_EYE,
            _TISSUES,
            _CANCER,
            _CORES,
            _CLINIC,
            _OPEN_SCIENCE,
            _TRAINING,
            _COMMUNITY,
            _MONEY,
            money,
            _MONEY_AFTER,
            quote,
            _LESSONS,
            _VOICES,
            _NEXT,
            _THANKS,
        )
    )


DRAFT = Draft(
    slug="2024-impact-report-ten-years-of-building-tissue",
    title="2024 Impact Report: Ten Years of Building Tissue",
    author="communications",
    date="2025-03-04 17:00",
    section="impact-reports-and-newsletters",
    topics=("heart-lung-and-blood", "brain"),
    tags=("grants", "alumni"),
    image=("impact-report-2024-cover.png", "The cover of the 2024 impact report"),
    body=_body(),
)
