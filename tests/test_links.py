"""core.links.page_url gives exactly the address reverse() gives, faster."""

from contextlib import contextmanager

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


def test_within_a_view_addresses_keep_its_urlconf_and_prefix_and_follow_the_language():
    """fix_addresses(): the URLconf and script prefix read on entering, the language read
    for each address; an API answer under a script prefix names it in every address."""
    from django.urls import set_script_prefix, set_urlconf

    from core.links import fix_addresses, unfix

    @contextmanager
    def addresses_fixed():  # as FixedAddressesMiddleware fixes them for a view
        token = fix_addresses()
        try:
            yield
        finally:
            unfix(token)

    set_script_prefix("/portal/")
    try:
        with addresses_fixed():
            assert page_url("contacts:person", "en", slug="a") == "/portal/people/a/"
            with translation.override("ru"):
                assert page_url("contacts:person", slug="a") == reverse(
                    "contacts:person", kwargs={"slug": "a"}
                )
                assert page_url("contacts:person", slug="a").startswith("/portal/ru/")
            assert page_url("releases:list", "en") == "/portal/press-releases/"
    finally:
        set_script_prefix("/")
    with addresses_fixed():  # the prefix of each scope, not the first one's
        assert page_url("contacts:person", "en", slug="a") == "/people/a/"
        set_urlconf("bench.urls")  # changed within a view: the test suite's check says so
        try:
            with pytest.raises(RuntimeError, match="changed within a view"):
                page_url("contacts:person", "en", slug="a")
        finally:
            set_urlconf(None)


@pytest.mark.django_db
def test_a_page_under_a_script_prefix_names_it_and_the_next_request_reads_its_own():
    """FixedAddressesMiddleware: the prefix read when the view runs is in every address of
    its page, and is let go when the response is handed back."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import set_script_prefix

    from core import links

    from .factories import make_person, make_release

    person = make_person(slug="a-person")
    make_release().mentions.create(person=person, position=0)
    set_script_prefix("/portal/")
    try:
        page = Client().get("/people/").content.decode()
    finally:
        set_script_prefix("/")
    assert 'href="/portal/people/a-person/"' in page and 'href="/portal/press-releases/"' in page
    assert links._fixed.get() is None  # nothing kept past the response
    cache.clear()
    page = Client().get("/people/").content.decode()
    assert 'href="/people/a-person/"' in page and 'href="/portal/people/' not in page
    assert "http://testserver/portal/" not in page  # nor the language alternates


@pytest.mark.django_db
def test_an_api_answer_under_a_script_prefix_names_it_in_every_address():
    from django.core.cache import cache
    from django.test import Client
    from django.urls import set_script_prefix

    from .factories import make_person, make_release

    release = make_release()
    release.mentions.create(person=make_person(), position=0)
    set_script_prefix("/portal/")  # as a WSGI server mounting the portal there sets it
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


@pytest.mark.parametrize(
    "name",
    ["releases:home", "releases:list", "releases:feed", "contacts:person-list", "api-docs"],
)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_templates_address_writes_what_url_writes(name, language):
    from django.template import engines

    written = engines["jinja2"].from_string(
        "{{ url(name) }}|{{ address(name) }}"
        "|{{ url('contacts:vcard', 7) }}|{{ address('contacts:vcard', pk=n) }}"
    )
    with translation.override(language):
        url, address, vcard_url, vcard_address = written.render({"n": 7, "name": name}).split("|")
    assert address == url and vcard_address == vcard_url
    assert page_url(name, language) == url  # a page without values, reversed once


@pytest.mark.parametrize("language", ["en", "ru"])
def test_dates_are_written_as_djangos_formatter_writes_them(language):
    import datetime

    from django.utils.formats import date_format as django_date_format

    from core.templating import date_format

    days = [datetime.date(year, month, 9) for year in (999, 2024) for month in range(1, 13)]
    days += [datetime.date(2023, 10, 26), datetime.date(2026, 12, 1)]
    with translation.override(language):
        for pattern in ["j F Y", "j E Y", "F Y", "E Y", "j E", "Y"]:
            for day in days:
                assert date_format(day, pattern) == django_date_format(day, pattern)
        assert date_format(days[0], "N j, Y") == django_date_format(days[0], "N j, Y")
