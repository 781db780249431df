"""The model rules: visibility, appointments and titles, contact validation, slugs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from contacts.models import Appointment, MediaContact
from editorial.models import Status
from releases.models import Event, Release

from .factories import make_appointment, make_contact, make_event, make_person, make_release

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_public_shows_a_published_release_whose_time_has_come():
    release = make_release()
    assert list(Release.objects.public()) == [release]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.WITHDRAWN])
def test_public_hides_releases_that_are_not_published(status):
    make_release(status=status)
    assert not Release.objects.public().exists()


def test_public_hides_a_scheduled_release_until_its_time():
    release = make_release(publish_at=timezone.now() + HOUR)
    assert not Release.objects.public().exists()
    assert list(Release.objects.scheduled()) == [release]


def test_public_hides_events_the_same_way():
    shown = make_event()
    make_event(status=Status.DRAFT)
    make_event(status=Status.IN_REVIEW)
    make_event(publish_at=timezone.now() + HOUR)
    make_event(status=Status.WITHDRAWN, withdrawal_note="Cancelled by the host.")
    assert list(Event.objects.public()) == [shown]


def test_publishing_without_a_time_publishes_now():
    release = Release(title="T", slug="t", status=Status.PUBLISHED, body="x")
    release.full_clean()
    assert release.publish_at is not None and release.publish_at <= timezone.now()


def test_withdrawal_needs_a_public_note():
    release = Release(title="T", slug="t", status=Status.WITHDRAWN, publish_at=timezone.now())
    with pytest.raises(ValidationError) as err:
        release.full_clean()
    assert "withdrawal_note" in err.value.message_dict


def test_the_database_refuses_a_published_release_without_a_time():
    with pytest.raises(IntegrityError):
        Release.objects.create(title="T", slug="t", status=Status.PUBLISHED, publish_at=None)


def test_a_release_cannot_end_before_it_starts():
    release = Release(
        title="T", slug="t", date=datetime.date(2024, 1, 2), date_end=datetime.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError):
        release.full_clean()


def test_release_slugs_are_unique():
    make_release(slug="same")
    with pytest.raises(ValidationError) as err:
        Release(title="Other", slug="same").full_clean()
    assert "slug" in err.value.message_dict


def test_person_slugs_are_unique():
    make_person(slug="kairat-sarybay")
    with pytest.raises(IntegrityError):
        make_person(slug="kairat-sarybay")


def test_overlapping_appointments_to_the_same_role_are_refused():
    person = make_person()
    make_appointment(person, role_title="Secretary General", start=datetime.date(2022, 10, 1))
    overlapping = Appointment(
        person=person, role_title="secretary general", start=datetime.date(2023, 1, 1)
    )
    with pytest.raises(ValidationError, match="may not overlap"):
        overlapping.full_clean()


def test_consecutive_appointments_and_other_roles_are_allowed():
    person = make_person()
    make_appointment(
        person,
        role_title="Executive Director",
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2022, 9, 30),
    )
    Appointment(
        person=person, role_title="Executive Director", start=datetime.date(2022, 10, 1)
    ).full_clean()
    Appointment(
        person=person, role_title="Secretary General", start=datetime.date(2022, 10, 1)
    ).full_clean()


def test_an_appointment_cannot_end_before_it_starts():
    person = make_person()
    with pytest.raises(ValidationError):
        Appointment(
            person=person,
            role_title="X",
            start=datetime.date(2022, 1, 2),
            end=datetime.date(2022, 1, 1),
        ).full_clean()


def test_the_title_on_a_date_comes_from_the_appointment_valid_then():
    person = make_person(name="Kairat Sarybay")
    make_appointment(
        person,
        role_title="Executive Director of the CICA Secretariat",
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2022, 9, 30),
    )
    make_appointment(
        person, role_title="Secretary General of CICA", start=datetime.date(2022, 10, 1), end=None
    )
    assert (
        person.title_on(datetime.date(2020, 10, 12), "en")
        == "Executive Director of the CICA Secretariat"
    )
    assert person.title_on(datetime.date(2023, 10, 26), "en") == "Secretary General of CICA"
    assert person.title_on(datetime.date(2019, 1, 1), "en") == ""
    assert person.title_on(None, "en") == ""


def test_a_release_shows_the_title_held_on_its_date():
    person = make_person()
    make_appointment(
        person,
        role_title="Executive Director",
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2022, 9, 30),
    )
    make_appointment(person, role_title="Secretary General", start=datetime.date(2022, 10, 1))
    old = make_release(date=datetime.date(2020, 10, 12))
    old.mentions.create(person=person, title_given="Executive Director")
    new = make_release(date=datetime.date(2024, 1, 22))
    new.mentions.create(person=person, title_given="")
    assert old.mentions.get().title == "Executive Director"
    assert new.mentions.get().title == "Secretary General"


def test_phone_numbers_are_stored_in_e164():
    contact = MediaContact(name="Akbota Batyrkhan", phone="+7 (777) 036-26-58")
    contact.full_clean()
    assert contact.phone == "+77770362658"


def test_a_national_number_is_read_as_kazakh():
    contact = MediaContact(name="A", phone="8 777 036 26 58")
    contact.full_clean()
    assert contact.phone == "+77770362658"


@pytest.mark.parametrize("phone", ["not a phone", "+7 12", "12345678901234567890"])
def test_invalid_phone_numbers_are_refused(phone):
    with pytest.raises(ValidationError) as err:
        MediaContact(name="A", phone=phone).full_clean()
    assert "phone" in err.value.message_dict


def test_invalid_email_is_refused():
    with pytest.raises(ValidationError) as err:
        MediaContact(name="A", email="press at cica").full_clean()
    assert "email" in err.value.message_dict


def test_a_media_contact_is_not_stored_twice():
    make_contact(name="Akbota Batyrkhan", phone="+77770362658")
    with pytest.raises(IntegrityError):
        make_contact(name="akbota batyrkhan", phone="+77770362658")
