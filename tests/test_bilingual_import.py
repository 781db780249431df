"""Importing in two languages: Russian texts filed as Russian, one appointment with both titles."""

import datetime
import re
from pathlib import Path

import pytest

from releases.models import Release

from .factories import make_person

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def html(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- importer


def test_the_importer_files_a_russian_text_as_russian_and_learns_russian_names(tmp_path):
    from releases.importing.runner import import_file

    source = ROOT / "tests" / "samples" / "ru_dateline.txt"
    report = import_file(source, status="published")
    assert report.status == "created"
    release = Release.objects.get(source_file__endswith="ru_dateline.txt")
    assert release.language == "ru"
    assert release.get_absolute_url().startswith("/ru/press-releases/")
    named = [p for p in release.people.all() if p.name_ru]
    assert named and all(re.search("[а-яА-Я]", p.name_ru) for p in named)
    assert all(event.language == "ru" for event in release.events.all())


# ---------------------------------------------------------------- roles in both languages

SEEDS = ROOT / "fixtures" / "seeds"
RUSSIAN_SAMPLES = [
    ROOT / "tests" / "samples" / name
    for name in ("ru_dateline.txt", "ru_date_alone.txt", "ru_date_v_gorode.txt")
]


def import_in_order(paths):
    from releases.importing.runner import import_file

    for path in paths:
        assert import_file(path, status="published").status == "created", path


def cyrillic(text: str) -> bool:
    return bool(re.search("[а-яА-ЯёЁ]", text))


@pytest.mark.parametrize("russian_first", [False, True], ids=["english-first", "russian-first"])
def test_a_role_named_in_both_languages_is_one_appointment_with_two_titles(client, russian_first):
    from contacts.models import Person

    english = sorted(SEEDS.glob("*.txt"))
    import_in_order(RUSSIAN_SAMPLES + english if russian_first else english + RUSSIAN_SAMPLES)
    person = Person.objects.get(name_ru="Кайрат Сарыбай")
    # Met first in Russian, the name is still the English one on English pages.
    assert person.name == "Kairat Sarybay"
    assert not cyrillic(person.honorific)
    assert sorted((a.role_title, a.role_title_ru) for a in person.appointments.all()) == [
        ("Executive Director of CICA", "Исполнительный директор Секретариата СВМДА"),
        ("Secretary General of CICA", "Генеральный секретарь СВМДА"),
    ]
    page = html(client.get(f"/people/{person.slug}/"))
    roles = page.split('id="roles-heading"')[1].split("</section>")[0]
    assert "Secretary General of CICA" in roles and not cyrillic(roles)
    page_ru = html(client.get(f"/ru/people/{person.slug}/"))
    assert "Генеральный секретарь СВМДА" in page_ru and "Secretary General" not in page_ru
    # Russian grammar: “с” takes the genitive month.
    assert "Генеральный секретарь СВМДА (" in page_ru and "с октября 2023 г." in page_ru
    assert "from October 2023" in roles
    # The organisation too: the gazetteer knows CICA's Russian name.
    assert "(Совещание по взаимодействию и мерам доверия в Азии (СВМДА))" in page_ru
    assert "Kairat Sarybay</a>, Secretary General of CICA" in html(client.get("/people/"))
    assert "Кайрат Сарыбай</a>, Генеральный секретарь СВМДА" in html(client.get("/ru/people/"))


def test_a_russian_release_gives_its_people_their_russian_titles(client):
    import_in_order([*sorted(SEEDS.glob("*.txt")), RUSSIAN_SAMPLES[0]])
    release = Release.objects.get(source_file__endswith="ru_dateline.txt")
    (mention,) = client.get(f"/api/v1/releases/{release.slug}/").json()["people"]
    assert mention["title"] == "Генеральный секретарь СВМДА"
    person = client.get(f"/api/v1/people/{mention['slug']}/").json()
    assert person["name_ru"] == "Кайрат Сарыбай"
    assert {a["role_title_ru"] for a in person["appointments"]} >= {"Генеральный секретарь СВМДА"}


def test_role_keys_match_a_role_across_languages_and_no_further():
    from releases.importing.people import role_key

    assert role_key("Secretary General of CICA", "en") == role_key(
        "Генеральный секретарь СВМДА", "ru"
    )
    assert role_key("Minister of Foreign Affairs of Kazakhstan", "en") == role_key(
        "Министр иностранных дел Республики Казахстан", "ru"
    )
    assert role_key("Minister of Energy", "en") != role_key("Министр иностранных дел", "ru")
    assert role_key("Deputy Secretary General", "en") != role_key("Генеральный секретарь", "ru")
    assert role_key("Chairwoman of the Board", "en") == role_key("Председатель Совета", "ru")
    assert role_key("Chairperson", "en") == "Председатель"
    assert role_key("Spokesperson", "en") is None


def test_a_role_in_another_organisation_is_not_taken_for_the_same_one():
    from contacts.models import Appointment
    from releases.importing.saving import _record_appointment

    from .factories import make_organisation

    un = make_organisation(
        name="United Nations",
        acronym="UN",
        name_ru="Организация Объединённых Наций",
        acronym_ru="ООН",
    )
    cica = make_organisation(
        name="CICA Secretariat", acronym="CICA", name_ru="Секретариат СВМДА", acronym_ru="СВМДА"
    )
    person = make_person(name="Aida Karimova")
    day = datetime.date(2024, 5, 1)
    _record_appointment(person, "Adviser of the UN", day, [un, cica], "en")
    _record_appointment(person, "Советник СВМДА", day, [un, cica], "ru")
    assert sorted(
        (a.role_title, a.role_title_ru, a.organisation.acronym)
        for a in Appointment.objects.filter(person=person)
    ) == [("", "Советник СВМДА", "CICA"), ("Adviser of UN", "", "UN")]


def test_an_appointment_needs_a_title_in_one_language_at_least():
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from contacts.models import Appointment

    person = make_person()
    with pytest.raises(ValidationError):
        Appointment(person=person).full_clean()
    Appointment(person=person, role_title_ru="Советник").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(person=person)
