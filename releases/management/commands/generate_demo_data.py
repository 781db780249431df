"""python manage.py generate_demo_data --releases N: realistic synthetic content, fast (bulk inserts)."""

import datetime
import random
import sys
import uuid

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from contacts.models import MediaContact, Organisation, Person
from core.caching import content_changed
from editorial.models import Status
from releases.importing.gazetteer import ORGANISATIONS
from releases.models import Event, Release, ReleasePerson, Topic

BATCH = 2000
FIRST = [
    "Kairat",
    "Aigerim",
    "Nurlan",
    "Dilnoza",
    "Rustam",
    "Farida",
    "Arman",
    "Zhanna",
    "Timur",
    "Laila",
    "Omar",
    "Mei",
]
LAST = [
    "Sarybay",
    "Akhmetov",
    "Seitkali",
    "Karimova",
    "Tashkentov",
    "Rahimi",
    "Chen",
    "Kumar",
    "Aliyev",
    "Nurlanova",
]
TOPICS = [
    "Security",
    "Economic cooperation",
    "Environment",
    "Youth",
    "Counter-terrorism",
    "Digitalisation",
    "Human dimension",
    "Energy",
    "Transport",
    "Health",
    "Culture",
    "Tourism",
    "Migration",
    "Water",
]
CITIES = [
    ("Astana", "Kazakhstan"),
    ("Almaty", "Kazakhstan"),
    ("Baku", "Azerbaijan"),
    ("Minsk", "Belarus"),
    ("Geneva", "Switzerland"),
    ("New Delhi", "India"),
    ("Beijing", "China"),
    ("Tashkent", "Uzbekistan"),
]
VERBS_EN = ["discusses", "reviews", "advances", "strengthens", "launches talks on"]
TEXT_RU = "Секретариат СВМДА провёл встречу, посвящённую вопросам {topic}. Стороны обсудили сотрудничество."


class Command(BaseCommand):
    help = "Fill the database with synthetic releases, events, people and contacts (English and Russian)."

    def add_arguments(self, parser):
        parser.add_argument("--releases", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, releases, seed, **options):
        rng = random.Random(seed)
        with transaction.atomic():
            people, orgs, topics, contacts = self._reference_data(rng)
            events = self._events(rng, max(10, releases // 20), orgs)
        done = 0
        while done < releases:
            count = min(BATCH, releases - done)
            with transaction.atomic():
                self._release_batch(rng, done, count, people, orgs, topics, contacts, events)
            done += count
            self._progress(done, releases)
        with transaction.atomic():
            self._named_once(rng)
        content_changed()
        self.stderr.write(f"\n{releases} releases, {len(events)} events, {len(people)} people")

    def _named_once(self, rng):
        """The long tail a real press office has: guests and a delegation named in one old
        release each (their pages must find it without walking every newer release)."""
        run = uuid.uuid4().hex[:6]
        oldest = Release.objects.public().in_language("en").order_by("date", "pk")[:3]
        for i, release in enumerate(oldest):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            guest = Person.objects.create(
                name=f"{first} {last}", slug=f"{slugify(first)}-{slugify(last)}-once-{run}-{i}"
            )
            ReleasePerson.objects.create(
                release=release, person=guest, title_given="Ambassador", position=2
            )
            if i == 0:
                delegation = Organisation.objects.create(
                    name=f"Visiting delegation {run}", slug=f"visiting-delegation-{run}"
                )
                release.organisations.add(delegation)

    def _progress(self, done, total):
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} releases")
        sys.stderr.flush()

    def _reference_data(self, rng):
        run = uuid.uuid4().hex[:6]
        people = Person.objects.bulk_create(
            Person(
                name=f"{first} {last}",
                slug=f"{slugify(first)}-{slugify(last)}-{run}-{i}",
                honorific=rng.choice(["Ambassador", "Mr.", "Ms.", "Dr.", ""]),
            )
            for i, (first, last) in enumerate(
                (rng.choice(FIRST), rng.choice(LAST)) for _ in range(200)
            )
        )
        orgs = []
        for acronym, name, *_rest in ORGANISATIONS:
            org, _ = Organisation.objects.get_or_create(
                name=name, defaults={"acronym": acronym, "slug": slugify(acronym) or slugify(name)}
            )
            orgs.append(org)
        topics = [
            Topic.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
            for name in TOPICS
        ]
        contacts = MediaContact.objects.bulk_create(
            MediaContact(
                name=f"Press Officer {run} {i}",
                role="PR Officer",
                phone=f"+7777{rng.randint(1000000, 9999999)}",
            )
            for i in range(5)
        )
        return people, orgs, topics, contacts

    def _events(self, rng, count, orgs):
        today = timezone.localdate()
        now = timezone.now()
        events = [
            Event(
                title=f"CICA {rng.choice(TOPICS)} Forum {i}",
                slug=f"demo-event-{uuid.uuid4().hex[:10]}",
                kind=rng.choice(["conference", "forum", "meeting", "workshop", "summit"]),
                start_date=today + datetime.timedelta(days=rng.randint(-2000, 200)),
                city=rng.choice(CITIES)[0],
                status=Status.PUBLISHED,
                publish_at=now - datetime.timedelta(days=1),
            )
            for i in range(count)
        ]
        for event in events:
            event.ends_on = event.last_day  # what save() keeps; bulk_create does not call it
        events = Event.objects.bulk_create(events)
        Event.hosts.through.objects.bulk_create(
            Event.hosts.through(event_id=e.pk, organisation_id=rng.choice(orgs).pk) for e in events
        )
        return events

    def _release_batch(self, rng, start, count, people, orgs, topics, contacts, events):
        now = timezone.now()
        rows = []
        for n in range(start, start + count):
            rows.append(self._release(rng, n, now, topics))
        for release in rows:  # bulk_create does not call save(), which renders them
            release.render_markdown_fields()
        created = Release.objects.bulk_create(rows)
        through = (
            Release.topics.through,
            Release.organisations.through,
            Release.events.through,
            Release.media_contacts.through,
        )
        Release.topics.through.objects.bulk_create(
            through[0](release_id=r.pk, topic_id=rng.choice(topics).pk) for r in created
        )
        through[1].objects.bulk_create(
            through[1](release_id=r.pk, organisation_id=o.pk)
            for r in created
            for o in rng.sample(orgs, 2)
        )
        through[2].objects.bulk_create(
            through[2](release_id=r.pk, event_id=rng.choice(events).pk) for r in created
        )
        through[3].objects.bulk_create(
            through[3](release_id=r.pk, mediacontact_id=rng.choice(contacts).pk) for r in created
        )
        ReleasePerson.objects.bulk_create(
            ReleasePerson(
                release_id=r.pk, person_id=p.pk, title_given="Secretary General", position=i
            )
            for r in created
            for i, p in enumerate(rng.sample(people, 2))
        )

    def _release(self, rng, n, now, topics):
        topic = rng.choice(topics).name.lower()
        russian = rng.random() < 0.3
        day = (now - datetime.timedelta(days=rng.randint(1, 4000))).date()
        roll = rng.random()
        status, publish_at, note = (
            Status.PUBLISHED,
            now - datetime.timedelta(days=rng.randint(0, 4000), minutes=n % 1440),
            "",
        )
        if roll < 0.02:
            status, publish_at = Status.DRAFT, None
        elif roll < 0.03:
            publish_at = now + datetime.timedelta(days=rng.randint(1, 30))
        elif roll < 0.04:
            status, note = Status.WITHDRAWN, "Withdrawn at the request of the host country."
        city, country = rng.choice(CITIES)
        if russian:
            title = f"Секретариат СВМДА обсуждает вопросы: {topic} ({n})"
            body = "\n\n".join(TEXT_RU.format(topic=topic) for _ in range(rng.randint(3, 8)))
        else:
            title = f"CICA Secretariat {rng.choice(VERBS_EN)} {topic} with partners ({n})"
            body = "\n\n".join(
                f"The participants exchanged views on {topic} and confidence building measures in Asia."
                for _ in range(rng.randint(3, 8))
            )
        return Release(
            title=title,
            slug=f"demo-{n}-{uuid.uuid4().hex[:8]}",
            kind=rng.choice(Release.Kind.values),
            language="ru" if russian else "en",
            date=day,
            city=city,
            country=country,
            lead=body.split("\n\n")[0],
            body=body,
            status=status,
            publish_at=publish_at,
            withdrawal_note=note,
        )
