"""Fill an empty database with a big, realistic data set for the benchmark (tests/bench/).

    python -m tests.bench.seed_bench --ideas 100000      # from the repository root

(A Django command object, so tests run it with `call_command(seed_bench.Command(), …)`; it
lives here, not in an app, because it writes the models of every app.)

3 quarters split into ~40 social spaces (with retired predecessors: history), and, scaled by
--ideas (the numbers below are for 100,000): 100,000 ideas, 300,000 comments, 500,000 supports
from 20,000 accounts (unusable passwords), 2,000 meetings with registrations, 500 partners with
cooperations, 20,000 mood answers. Everything is written with bulk inserts; the denormalised
counters (support_count, comment_count) match the rows created. The data is for load tests
only: never run this against a production database (it refuses when ideas exist, unless
--force).
"""

import contextlib
import datetime
import os
import random
import sys
import time

if __name__ == "__main__":  # run as a script: Django must be set up before models are imported
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
    django.setup()

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from neighbourhoods.geometry import display_boundary
from neighbourhoods.models import Area, AreaAssignment, AreaTreeVersion
from neighbourhoods.permissions import COORDINATION_GROUP
from network.models import Cooperation, FieldOfWork, Partner, PartnerKind, TargetGroup
from participation.feedback.models import MoodAnswer
from participation.ideas.models import Answer, Comment, Idea, IdeaKind, IdeaStatus, Support
from participation.meetings.models import Meeting, Registration
from participation.summaries.services import summaries_rebuild
from participation.topics.models import Topic
from quartier import fragments
from quartier.pagecache import content_changed

BATCH = 5000
# Three quarters side by side around the fictional Musterstadt (lng, lat boxes).
QUARTERS = [
    ("Bench-Nordstadt", (7.40, 51.51, 7.46, 51.55), (4, 4)),
    ("Bench-Innenstadt", (7.46, 51.51, 7.52, 51.55), (4, 3)),
    ("Bench-Südstadt", (7.40, 51.47, 7.52, 51.51), (5, 3)),
]
STATUS_WEIGHTS = [
    (IdeaStatus.PUBLISHED, 70),
    (IdeaStatus.UNDER_REVIEW, 8),
    (IdeaStatus.PLANNED, 6),
    (IdeaStatus.REALISED, 5),
    (IdeaStatus.NOT_FEASIBLE, 4),
    (IdeaStatus.PENDING, 4),
    (IdeaStatus.REJECTED, 3),
]
WORDS = [
    *("Bank", "Spielplatz", "Baum", "Radweg", "Licht", "Brunnen", "Treffpunkt", "Markt"),
    *("Garten", "Bücherschrank", "Café", "Ampel", "Gehweg", "Müll", "Lärm", "Fest", "Schule"),
    *("Kita", "Bus", "Haltestelle", "Platz", "Wiese", "Hof", "Bühne", "Kunst", "Werkstatt"),
    *("Nachbarschaft", "Sport", "Laden", "Ecke"),
]
UNUSABLE_PASSWORD = "!bench-unusable"  # noqa: S105 -- starts with "!": no password matches


def _polygon(min_lng, min_lat, max_lng, max_lat):
    ring = [
        [min_lng, min_lat],
        [max_lng, min_lat],
        [max_lng, max_lat],
        [min_lng, max_lat],
        [min_lng, min_lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _sentence(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _insert(model, objects):
    """Insert many rows: COPY on PostgreSQL (fast, no primary keys returned), bulk_create
    elsewhere. Only for rows whose keys nobody needs afterwards."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH)
        return len(objects)
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not field.generated  # the database fills generated ones
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row(
                [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
            )
    return len(objects)


@contextlib.contextmanager
def _explicit_timestamps(*models):
    """Let bulk_create keep the created_at values we set (spread over two years)."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now_add", False)
    ]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


class Command(BaseCommand):
    help = "Fill the database with a big benchmark data set (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--ideas", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--partners", type=int, help="default: 500 per 100,000 ideas")
        parser.add_argument("--meetings", type=int, help="default: 2,000 per 100,000 ideas")
        parser.add_argument(
            "--force", action="store_true", help="Run even if the database has ideas."
        )

    def handle(self, *args, ideas, seed, force, partners=None, meetings=None, **options):
        if ideas < 10:
            raise CommandError("--ideas must be at least 10.")
        if Idea.objects.exists() and not force:
            raise CommandError(
                "The database already has ideas. seed_bench is for an empty benchmark "
                "database; use --force to add to it anyway."
            )
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.scale = ideas / 100_000
        self.partners, self.meetings = partners, meetings
        self.tag = f"{seed}-{int(time.time())}" if force else str(seed)
        started = time.monotonic()
        with _explicit_timestamps(Idea, Comment, Support, Answer, Partner, Meeting):
            for step in (
                self.seed_areas,
                self.seed_users,
                lambda: self.seed_ideas(ideas),
                self.seed_comments,
                self.seed_supports,
                self.seed_network,
                self.seed_meetings,
                self.seed_mood,
            ):
                begin = time.monotonic()
                with transaction.atomic():
                    label = step()
                self.stdout.write(f"{label:<45} {time.monotonic() - begin:7.1f} s")
        begin = time.monotonic()
        summaries_rebuild()  # bulk inserts send no signals: count the summary rows once
        self.stdout.write(f"{'summary rows':<45} {time.monotonic() - begin:7.1f} s")
        AreaTreeVersion.bump()
        content_changed()  # bulk inserts send no signals: cached pages are stale now
        fragments.everything_changed()  # ... and so are the kept fragments
        if connection.vendor == "postgresql" and connection.get_autocommit():
            begin = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # planner statistics and visibility map
            self.stdout.write(f"{'vacuum analyze':<45} {time.monotonic() - begin:7.1f} s")
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.1f} s"))

    def count(self, base):
        return max(1, round(base * self.scale))

    # --- areas -------------------------------------------------------------------------
    def seed_areas(self):
        start = datetime.date(2022, 1, 1)
        split = datetime.date(2024, 1, 1)
        self.leaves = []  # (area, (min_lng, min_lat, max_lng, max_lat))
        retired = 0
        for index, (name, box, (cols, rows)) in enumerate(QUARTERS):
            slug = f"bench-{self.tag}-q{index}"
            quarter = Area(
                name=name,
                slug=slug,
                kind=Area.Kind.QUARTER,
                boundary=_polygon(*box),
                valid_from=start,
                description=f"{name}: ein Quartier für den Lasttest.",
                profile_topics=_sentence(self.rng, 30),
            )
            quarter.boundary_display = display_boundary(quarter.boundary)  # as Area.save() does
            quarter.save_base()  # no AreaTreeVersion bump per row; bumped at the end
            min_lng, min_lat, max_lng, max_lat = box
            width, height = (max_lng - min_lng) / cols, (max_lat - min_lat) / rows
            # history: before the split the quarter had one social space per row
            old_rows = []
            for row in range(rows):
                cell = (min_lng, min_lat + row * height, max_lng, min_lat + (row + 1) * height)
                old = Area(
                    name=f"{name} Streifen {row + 1}",
                    slug=f"{slug}-alt-{row}",
                    kind=Area.Kind.SOCIAL_SPACE,
                    parent=quarter,
                    boundary=_polygon(*cell),
                    valid_from=start,
                    valid_until=split,
                )
                old.boundary_display = display_boundary(old.boundary)
                old.save_base()
                old_rows.append(old)
                retired += 1
            for row in range(rows):
                for col in range(cols):
                    cell = (
                        min_lng + col * width,
                        min_lat + row * height,
                        min_lng + (col + 1) * width,
                        min_lat + (row + 1) * height,
                    )
                    area = Area(
                        name=f"{name} {row + 1}-{col + 1}",
                        slug=f"{slug}-{row}-{col}",
                        kind=Area.Kind.SOCIAL_SPACE,
                        parent=quarter,
                        boundary=_polygon(*cell),
                        valid_from=split,
                        description=_sentence(self.rng, 25),
                    )
                    area.boundary_display = display_boundary(area.boundary)
                    area.save_base()
                    area.predecessors.add(old_rows[row])
                    self.leaves.append((area, cell))
        return f"areas: 3 quarters, {len(self.leaves)} social spaces, {retired} retired"

    # --- accounts ------------------------------------------------------------------------
    def seed_users(self):
        User = get_user_model()
        total = self.count(20_000)
        users = [
            User(
                username=f"bench-{self.tag}-{number}",
                email=f"bench-{self.tag}-{number}@bench.invalid",
                first_name="Nachbar",
                last_name=str(number),
                password=UNUSABLE_PASSWORD,
            )
            for number in range(total)
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        self.user_ids = list(
            User.objects.filter(username__startswith=f"bench-{self.tag}-").values_list(
                "pk", flat=True
            )
        )
        coordination = User(
            username=f"bench-{self.tag}-coordination",
            email=f"bench-{self.tag}-coordination@bench.invalid",
            password=UNUSABLE_PASSWORD,
            is_staff=True,
        )
        coordination.save()
        group, _created = Group.objects.get_or_create(name=COORDINATION_GROUP)
        coordination.groups.add(group)
        AreaAssignment.objects.create(
            user=coordination, area=self.leaves[0][0].parent, role=AreaAssignment.Role.COORDINATION
        )
        return f"accounts: {total} residents + 1 coordination"

    # --- ideas ---------------------------------------------------------------------------
    def seed_ideas(self, total):
        rng = self.rng
        topics = list(Topic.objects.values_list("pk", flat=True))
        if not topics:
            topics = [Topic.objects.create(name="Allgemein", slug="allgemein").pk]
        statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
        kinds = IdeaKind.values
        batch, created = [], 0
        for number in range(total):
            area, (min_lng, min_lat, max_lng, max_lat) = rng.choice(self.leaves)
            status = rng.choices(statuses, weights)[0]
            created_at = self.now - datetime.timedelta(minutes=rng.randrange(60 * 24 * 730))
            has_point = rng.random() < 0.8
            location = None
            if has_point:
                location = {
                    "type": "Point",
                    "coordinates": [
                        round(rng.uniform(min_lng, max_lng), 6),
                        round(rng.uniform(min_lat, max_lat), 6),
                    ],
                }
            account = rng.random() < 0.6
            batch.append(
                Idea(
                    kind=rng.choice(kinds),
                    title=f"{_sentence(rng, 4)} {number}"[:160],
                    text=_sentence(rng, rng.randrange(20, 120)),
                    topic_id=rng.choice(topics),
                    area=area,
                    location=location,
                    author_id=rng.choice(self.user_ids) if account else None,
                    author_name="" if account else "Anwohnerin",
                    author_email="" if account else "anwohnerin@bench.invalid",
                    confirmed_at=created_at,
                    status=status,
                    is_hidden=rng.random() < 0.01,
                    published_at=None if status == IdeaStatus.PENDING else created_at,
                    created_at=created_at,
                )
            )
            if len(batch) >= BATCH:
                created += self._flush_ideas(batch)
                batch = []
        if batch:
            created += self._flush_ideas(batch)
        answers = self._answers()
        return f"ideas: {created} (+ {answers} answers)"

    def _flush_ideas(self, batch):
        _insert(Idea, batch)
        return len(batch)

    def _answers(self):
        """Read the new ideas back (COPY returns no keys) and give the later ones answers."""
        answers = []
        self.idea_rows = []
        rows = Idea.objects.filter(area__in=[area for area, _cell in self.leaves]).values_list(
            "pk", "status", "is_hidden", "created_at"
        )
        for pk, status, hidden, created_at in rows.iterator(chunk_size=BATCH):
            public = status not in (IdeaStatus.PENDING, IdeaStatus.REJECTED)
            self.idea_rows.append((pk, public and not hidden, created_at))
            if status in (IdeaStatus.PUBLISHED, IdeaStatus.PENDING):
                continue
            answers.append(
                Answer(
                    idea_id=pk,
                    text=_sentence(self.rng, 30),
                    status_from=IdeaStatus.PENDING
                    if status == IdeaStatus.REJECTED
                    else IdeaStatus.PUBLISHED,
                    status_to=status,
                    author_role="Quartiersmanagement",
                    created_at=created_at + datetime.timedelta(days=3),
                )
            )
        _insert(Answer, answers)
        return len(answers)

    # --- comments and supports (counters kept consistent) -----------------------------------
    def _public_ideas(self):
        return [(pk, created_at) for pk, public, created_at in self.idea_rows if public]

    def seed_comments(self):
        rng = self.rng
        total = self.count(300_000)
        ideas = self._public_ideas()
        counts = {}
        batch, created = [], 0
        for _ in range(total):
            # skewed: a few ideas get many comments
            pk, created_at = ideas[int(len(ideas) * rng.random() ** 2)]
            hidden = rng.random() < 0.02
            if not hidden:
                counts[pk] = counts.get(pk, 0) + 1
            batch.append(
                Comment(
                    idea_id=pk,
                    author_id=rng.choice(self.user_ids),
                    text=_sentence(rng, rng.randrange(5, 60)),
                    is_hidden=hidden,
                    created_at=created_at + datetime.timedelta(hours=rng.randrange(1, 2000)),
                )
            )
            if len(batch) >= BATCH:
                _insert(Comment, batch)
                created += len(batch)
                batch = []
        _insert(Comment, batch)
        created += len(batch)
        self._set_counter("comment_count", counts)
        return f"comments: {created}"

    def seed_supports(self):
        rng = self.rng
        total = self.count(500_000)
        ideas = self._public_ideas()
        users = self.user_ids
        per_idea = {}
        for _ in range(total):
            pk = ideas[int(len(ideas) * rng.random() ** 2)][0]
            per_idea[pk] = per_idea.get(pk, 0) + 1
        batch, created = [], 0
        counts = {}
        created_at = dict(ideas)
        for pk, wanted in per_idea.items():
            wanted = min(wanted, len(users))
            counts[pk] = wanted
            for user_id in rng.sample(users, wanted):  # unique per user and idea
                batch.append(
                    Support(
                        idea_id=pk,
                        user_id=user_id,
                        notify=rng.random() < 0.2,
                        created_at=created_at[pk] + datetime.timedelta(hours=rng.randrange(1, 500)),
                    )
                )
            if len(batch) >= BATCH:
                _insert(Support, batch)
                created += len(batch)
                batch = []
        _insert(Support, batch)
        created += len(batch)
        self._set_counter("support_count", counts)
        return f"supports: {created}"

    def _set_counter(self, field, counts):
        """Write the counters in one statement (UPDATE … FROM a VALUES list per batch)."""
        items = list(counts.items())
        table = connection.ops.quote_name(Idea._meta.db_table)
        column = connection.ops.quote_name(field)
        with connection.cursor() as cursor:
            for start in range(0, len(items), BATCH):
                chunk = items[start : start + BATCH]
                values = ", ".join(["(%s, %s)"] * len(chunk))
                sql = (  # table and column names come from the model
                    f"UPDATE {table} SET {column} = counts.n FROM (SELECT column1 AS pk, "  # noqa: S608
                    f"column2 AS n FROM (VALUES {values}) AS v) AS counts "
                    f"WHERE {table}.id = counts.pk"
                )
                cursor.execute(
                    sql,
                    [number for pair in chunk for number in pair],
                )

    # --- network -------------------------------------------------------------------------
    def seed_network(self):
        rng = self.rng
        total = self.partners or self.count(500)
        fields = list(FieldOfWork.objects.values_list("pk", flat=True))
        groups = list(TargetGroup.objects.values_list("pk", flat=True))
        kinds = PartnerKind.values
        partners = []
        for number in range(total):
            area, (min_lng, min_lat, max_lng, max_lat) = rng.choice(self.leaves)
            name = f"Bench-Partner {self.tag} Nr. {number}"
            partners.append(
                Partner(
                    name=name,
                    name_key=Partner.make_name_key(name),
                    slug=f"bench-partner-{self.tag}-{number}",
                    kind=rng.choice(kinds),
                    description=_sentence(rng, 40),
                    address=f"Hauptstraße {number + 1}",
                    point={
                        "type": "Point",
                        "coordinates": [
                            round(rng.uniform(min_lng, max_lng), 6),
                            round(rng.uniform(min_lat, max_lat), 6),
                        ],
                    },
                    area=area,
                    website=f"https://partner-{number}.example.org",
                    created_at=self.now,
                )
            )
        Partner.objects.bulk_create(partners, batch_size=BATCH)
        self.partner_ids = [partner.pk for partner in partners]
        leaf_ids = [area.pk for area, _cell in self.leaves]
        Through = Partner.areas.through
        Through.objects.bulk_create(
            [
                Through(partner_id=partner.pk, area_id=area_id)
                for partner in partners
                for area_id in {partner.area_id, *rng.sample(leaf_ids, rng.randrange(0, 3))}
            ]
        )
        if fields:
            FieldThrough = Partner.fields_of_work.through
            FieldThrough.objects.bulk_create(
                [
                    FieldThrough(partner_id=partner.pk, fieldofwork_id=field_id)
                    for partner in partners
                    for field_id in rng.sample(fields, min(len(fields), rng.randrange(1, 4)))
                ]
            )
        if groups:
            GroupThrough = Partner.target_groups.through
            GroupThrough.objects.bulk_create(
                [
                    GroupThrough(partner_id=partner.pk, targetgroup_id=group_id)
                    for partner in partners
                    for group_id in rng.sample(groups, min(len(groups), rng.randrange(1, 3)))
                ]
            )
        cooperations = [
            Cooperation(
                kind=rng.choice(Cooperation.Kind.values),
                title=f"Kooperation {number}: {_sentence(rng, 3)}",
                since=datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(900)),
                text=_sentence(rng, 20),
            )
            for number in range(self.count(300))
        ]
        Cooperation.objects.bulk_create(cooperations)
        CoopPartners = Cooperation.partners.through
        CoopAreas = Cooperation.areas.through
        CoopPartners.objects.bulk_create(
            [
                CoopPartners(cooperation_id=cooperation.pk, partner_id=partner_id)
                for cooperation in cooperations
                for partner_id in rng.sample(
                    self.partner_ids, min(len(self.partner_ids), rng.randrange(2, 5))
                )
            ]
        )
        CoopAreas.objects.bulk_create(
            [
                CoopAreas(cooperation_id=cooperation.pk, area_id=rng.choice(leaf_ids))
                for cooperation in cooperations
            ]
        )
        return f"network: {total} partners, {len(cooperations)} cooperations"

    # --- meetings ------------------------------------------------------------------------
    def seed_meetings(self):
        rng = self.rng
        total = self.meetings or self.count(2_000)
        meetings = []
        for number in range(total):
            area, (min_lng, min_lat, max_lng, max_lat) = rng.choice(self.leaves)
            # mostly past, a quarter upcoming within the next half year
            offset = datetime.timedelta(hours=rng.randrange(-24 * 700, 24 * 180))
            starts_at = (self.now + offset).replace(minute=0, second=0, microsecond=0)
            meetings.append(
                Meeting(
                    title=f"Treffen {number}: {_sentence(rng, 3)}",
                    text=_sentence(rng, 40),
                    area=area,
                    kind=rng.choice(Meeting.Kind.values),
                    address=f"Marktplatz {number % 50 + 1}",
                    location={
                        "type": "Point",
                        "coordinates": [
                            round(rng.uniform(min_lng, max_lng), 6),
                            round(rng.uniform(min_lat, max_lat), 6),
                        ],
                    },
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=2),
                    organiser_partner_id=rng.choice(self.partner_ids)
                    if rng.random() < 0.3
                    else None,
                    capacity=rng.choice([None, 20, 30, 50]),
                    step_free=rng.random() < 0.7,
                    status=Meeting.Status.HELD if offset.total_seconds() < 0 else "planned",
                    created_at=starts_at - datetime.timedelta(days=30),
                )
            )
        Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        registrations = []
        for meeting in meetings:
            confirmed = 0
            for _ in range(rng.randrange(0, 12)):
                people = rng.randrange(1, 4)
                status = Registration.Status.CONFIRMED
                if meeting.capacity is not None and confirmed + people > meeting.capacity:
                    status = Registration.Status.WAITING
                else:
                    confirmed += people
                user_id = rng.choice(self.user_ids)
                registrations.append(
                    Registration(
                        meeting=meeting,
                        user_id=user_id,
                        name=f"Nachbar {user_id}",
                        email=f"nachbar-{user_id}@bench.invalid",
                        people=people,
                        status=status,
                        created_at=meeting.created_at,
                    )
                )
        _insert(Registration, registrations)
        return f"meetings: {total}, registrations: {len(registrations)}"

    # --- mood ----------------------------------------------------------------------------
    def seed_mood(self):
        rng = self.rng
        total = self.count(20_000)
        topics = list(Topic.objects.values_list("pk", flat=True))
        answers = []
        for _ in range(total):
            area = rng.choice(self.leaves)[0]
            month = (self.now - datetime.timedelta(days=rng.randrange(700))).date().replace(day=1)
            has_comment = rng.random() < 0.1
            answers.append(
                MoodAnswer(
                    area=area,
                    score=rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5]),
                    aspect_id=rng.choice(topics) if topics and rng.random() < 0.7 else None,
                    comment=_sentence(rng, 12) if has_comment else "",
                    comment_status=MoodAnswer.CommentStatus.PUBLISHED
                    if has_comment
                    else MoodAnswer.CommentStatus.NONE,
                    month=month,
                    created_at=timezone.make_aware(
                        datetime.datetime.combine(month, datetime.time(12))
                    ),
                )
            )
        _insert(MoodAnswer, answers)
        return f"mood answers: {total}"


if __name__ == "__main__":
    Command().run_from_argv(["seed_bench", "seed_bench", *sys.argv[1:]])
