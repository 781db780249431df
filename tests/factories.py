"""Small helpers that make valid rows; override any field by keyword."""

import datetime
import itertools

from django.utils import timezone

from contacts.models import Appointment, MediaContact, Organisation, Person
from editorial.models import Status
from releases.models import Event, Release, Topic

_seq = itertools.count(1)


def _n():
    return next(_seq)


def make_release(**overrides) -> Release:
    n = _n()
    fields = {
        "title": f"Release number {n}",
        "slug": f"release-{n}",
        "status": Status.PUBLISHED,
        "publish_at": timezone.now() - datetime.timedelta(hours=1),
        "date": datetime.date(2024, 1, 22),
        "body": f"Body of release {n}.",
    }
    fields.update(overrides)
    if fields["status"] == Status.WITHDRAWN and not fields.get("withdrawal_note"):
        fields["withdrawal_note"] = "Withdrawn at the request of the host."
    return Release.objects.create(**fields)


def make_event(**overrides) -> Event:
    n = _n()
    fields = {
        "title": f"Event number {n}",
        "slug": f"event-{n}",
        "status": Status.PUBLISHED,
        "publish_at": timezone.now() - datetime.timedelta(hours=1),
        "start_date": timezone.localdate() + datetime.timedelta(days=30),
        "city": "Astana",
        "country": "Kazakhstan",
    }
    fields.update(overrides)
    return Event.objects.create(**fields)


def make_person(**overrides) -> Person:
    n = _n()
    fields = {"name": f"Person {n}", "slug": f"person-{n}"}
    fields.update(overrides)
    return Person.objects.create(**fields)


def make_organisation(**overrides) -> Organisation:
    n = _n()
    fields = {"name": f"Organisation {n}", "slug": f"organisation-{n}"}
    fields.update(overrides)
    return Organisation.objects.create(**fields)


def make_topic(**overrides) -> Topic:
    n = _n()
    fields = {"name": f"Topic {n}", "slug": f"topic-{n}"}
    fields.update(overrides)
    return Topic.objects.create(**fields)


def make_contact(**overrides) -> MediaContact:
    n = _n()
    fields = {"name": f"Contact {n}", "role": "PR Officer", "phone": f"+7777000{n:04d}"}
    fields.update(overrides)
    return MediaContact.objects.create(**fields)


def make_appointment(person, **overrides) -> Appointment:
    fields = {"role_title": "Secretary General", "start": datetime.date(2022, 10, 1)}
    fields.update(overrides)
    return Appointment.objects.create(person=person, **fields)
