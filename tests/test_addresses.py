"""Addresses follow where the portal is mounted; labels and roles read as the reader expects."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import set_script_prefix
from django.utils import translation

from .factories import make_person, make_release


@pytest.mark.django_db
def test_a_page_under_a_script_prefix_names_it_and_the_next_request_reads_its_own():
    person = make_person(slug="a-person")
    make_release().mentions.create(person=person, position=0)
    set_script_prefix("/portal/")  # as a WSGI server mounting the portal there sets it
    try:
        page = Client().get("/people/").content.decode()
    finally:
        set_script_prefix("/")
    assert 'href="/portal/people/a-person/"' in page and 'href="/portal/press-releases/"' in page
    cache.clear()
    page = Client().get("/people/").content.decode()
    assert 'href="/people/a-person/"' in page and 'href="/portal/people/' not in page
    assert "http://testserver/portal/" not in page  # nor the language alternates


@pytest.mark.django_db
def test_an_api_answer_under_a_script_prefix_names_it_in_every_address():
    release = make_release()
    release.mentions.create(person=make_person(), position=0)
    set_script_prefix("/portal/")
    try:
        answer = Client().get("/api/v1/releases/").json()
    finally:
        set_script_prefix("/")
    item = answer["results"][0]
    assert item["url"] == f"http://testserver/portal/press-releases/{release.slug}/"
    assert item["people"][0]["url"].startswith("http://testserver/portal/people/")
    cache.clear()  # (its key is the address, and a server mounting it there says so)
    plain = Client().get("/api/v1/releases/").json()["results"][0]
    assert plain["url"] == f"http://testserver/press-releases/{release.slug}/"


def test_choice_labels_are_the_active_languages():
    from releases.models import Event, Release

    release, event = Release(kind="statement"), Event(format="online", event_status="postponed")
    assert release.get_kind_display() == "Statement"
    assert event.get_format_display() == "Online" and event.get_event_status_display()
    with translation.override("ru"):
        assert release.get_kind_display() == "Заявление"


@pytest.mark.django_db
def test_prefetched_public_roles_need_no_query_and_unfetched_ones_are_all_read(
    django_assert_num_queries,
):
    from contacts.models import Appointment, Person

    person = Person.objects.create(name="Kairat Sarybay", slug="kairat-sarybay")
    Appointment.objects.create(
        person=person, role_title="Secretary General", entered_by_editor=True
    )
    Appointment.objects.create(person=person, role_title="Adviser", entered_by_editor=False)
    fetched = Person.objects.with_public_appointments().get()
    with django_assert_num_queries(0):
        assert [a.role_title for a in fetched.appointment_list] == ["Secretary General"]
    plain = Person.objects.get()
    with django_assert_num_queries(1):
        assert len(plain.appointment_list) == 2  # all of them, read when asked
