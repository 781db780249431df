"""core.links.page_url gives exactly the address reverse() gives, faster."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from core.links import page_url


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("releases:detail", {"slug": "cica-ministers-meet-in-astana"}),
        ("releases:detail", {"slug": "2024"}),  # digits: the other marker
        ("releases:event-ics", {"slug": "summit_2026"}),
        ("contacts:person", {"slug": "kairat-sarybay"}),
        ("contacts:vcard", {"pk": 17}),
        ("release-detail", {"slug": "a-release"}),  # the API's, not under a language prefix
    ],
)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_page_url_is_what_reverse_gives(name, kwargs, language):
    with translation.override(language):
        expected = reverse(name, kwargs=kwargs)
        assert page_url(name, **kwargs) == expected
    assert page_url(name, language, **kwargs) == expected  # another language active


def test_a_value_the_marker_does_not_cover_goes_through_reverse():
    with pytest.raises(NoReverseMatch):  # a slug converter takes no Cyrillic: refused as before
        page_url("releases:detail", "en", slug="встреча")
    assert page_url("releases:preview", "en", token="a.b:c") == reverse(
        "releases:preview", kwargs={"token": "a.b:c"}
    )


def test_page_url_follows_the_script_prefix():
    with override_settings(FORCE_SCRIPT_NAME="/portal/"):
        from django.urls import set_script_prefix

        set_script_prefix("/portal/")
        try:
            assert page_url("contacts:person", "en", slug="a") == "/portal/people/a/"
        finally:
            set_script_prefix("/")
    assert page_url("contacts:person", "en", slug="a") == "/people/a/"


def test_choice_labels_are_the_active_languages():
    from releases.models import Event, Release

    release, event = Release(kind="statement"), Event(format="online", event_status="postponed")
    assert release.get_kind_display() == "Statement"
    assert event.get_format_display() == "Online" and event.get_event_status_display()
    with translation.override("ru"):
        assert release.get_kind_display() == "Заявление"
    assert Release(kind="not-a-kind").get_kind_display() == "not-a-kind"  # as Django does


@pytest.mark.django_db
def test_a_prefetched_list_is_read_without_queries_and_an_unfetched_one_is_never_stale(
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
    Appointment.objects.create(person=person, role_title="Envoy", entered_by_editor=True)
    assert len(plain.appointment_list) == 3  # not kept: the new one shows
