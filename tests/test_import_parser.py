"""The release parser on the real seeds and on samples of every layout the press office uses."""

import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releases.importing.parser import parse_release
from releases.importing.text import BadFile, decode

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
SAMPLES = Path(__file__).resolve().parent / "samples"


def parse_file(path: Path):
    return parse_release(decode(path.read_bytes()))


def seed(prefix: str):
    return parse_file(next(SEEDS.glob(f"{prefix}_*.txt")))


def sample(name: str):
    return parse_file(SAMPLES / name)


# ---------------------------------------------------------------- the three real seeds


def test_seed_000_is_an_online_conference_on_12_october_2020():
    parsed = seed("000")
    assert parsed.date.start == datetime.date(2020, 10, 12) and parsed.date.end is None
    assert parsed.language == "en" and parsed.kind == "press_release"
    assert parsed.title.startswith(
        "Executive Director of the CICA Secretariat Ambassador Kairat Sarybay took part"
    )
    assert (parsed.place.city, parsed.place.country) == ("", "")
    [event] = parsed.events
    assert (
        event.name
        == "OSCE-2020 Asian Conference “Multilateral responses to global security challenges”"
    )
    assert event.format == "online" and event.span.start == datetime.date(2020, 10, 12)
    assert parsed.media_contacts == []


def test_seed_000_names_one_person_under_two_spellings():
    [person] = seed("000").people
    assert person.name == "Kairat Sarybay"
    assert person.honorific == "Ambassador"
    assert person.title == "Executive Director of the CICA Secretariat"
    assert person.aliases == ["K. Sarybay"]


def test_seed_000_keeps_the_full_text_pointer_and_drops_the_repeated_title():
    parsed = seed("000")
    assert parsed.lead.startswith("On October 12, 2020, the Executive Director")
    assert "co-chaired by the host state Republic of Korea" in parsed.lead
    assert parsed.body.endswith("(Full text of the remarks of Ambassador K.Sarybay).")
    assert {o.acronym or o.name for o in parsed.organisations} == {
        "CICA",
        "OSCE",
        "CICA Secretariat",
    }


def test_seed_001_is_26_27_october_2023_in_minsk_belarus():
    parsed = seed("001")
    assert (
        parsed.title
        == "CICA Secretary General takes part in international conference on Eurasian security in Minsk"
    )
    assert parsed.date.start == datetime.date(2023, 10, 26)
    assert parsed.date.end == datetime.date(2023, 10, 27)
    assert (parsed.place.city, parsed.place.country) == ("Minsk", "Belarus")
    assert parsed.kind == "press_release" and parsed.language == "en"


def test_seed_001_names_the_conference_and_the_organisations():
    parsed = seed("001")
    [event] = parsed.events
    assert (
        event.name
        == "High-level International Conference Eurasian Security: Reality and Prospects in a Transforming World"
    )
    assert (event.span.start, event.span.end) == (
        datetime.date(2023, 10, 26),
        datetime.date(2023, 10, 27),
    )
    assert (event.place.city, event.place.country) == ("Minsk", "Belarus")
    acronyms = {o.acronym for o in parsed.organisations}
    assert {"CICA", "CSTO", "SCO", "LAS", "OTS", "ASEAN", "NATO"} <= acronyms
    names = {o.name for o in parsed.organisations}
    assert "Ministry of Foreign Affairs of the Republic of Belarus" in names
    [person] = parsed.people
    assert person.name == "Kairat Sarybay"
    assert (
        person.title
        == "Secretary General of the Conference on Interaction and Confidence Building Measures in Asia (CICA)"
    )


def test_seed_004_is_22_january_2024_in_astana_with_a_media_contact():
    parsed = seed("004")
    assert parsed.date.start == datetime.date(2024, 1, 22) and parsed.date.end is None
    assert (parsed.place.city, parsed.place.country) == ("Astana", "")  # no country invented
    [contact] = parsed.media_contacts
    assert (contact.name, contact.role, contact.phone) == (
        "Akbota Batyrkhan",
        "PR Officer",
        "+77770362658",
    )
    assert "Media Contact" not in parsed.body and "Batyrkhan" not in parsed.body
    assert parsed.lead.startswith("Ambassador Kairat Sarybay, Secretary General")


def test_seed_004_dates_announced_events_by_their_own_month_not_the_release_date():
    events = {e.name: e for e in seed("004").events}
    rally = events["Rally of the Volunteer Movement Leaders of the CICA Countries"]
    assert (rally.span.start, rally.span.precision) == (datetime.date(2024, 5, 1), "month")
    ministerial = events["CICA Ministerial Conference on Environmental Issues"]
    assert (ministerial.span.start, ministerial.span.precision) == (
        datetime.date(2024, 8, 1),
        "month",
    )
    assert ministerial.place.city == "Astana"
    assert ministerial.kind == "ministerial"


def test_seeds_never_take_an_announced_event_date_as_the_release_date():
    assert seed("004").date.start == datetime.date(2024, 1, 22)


# ---------------------------------------------------------------- layouts, English


@pytest.mark.parametrize(
    # The country only when the text gives it (none is invented from the city).
    ("name", "start", "end", "city", "country"),
    [
        ("en_dateline_date_place.txt", (2024, 2, 19), (2024, 2, 23), "New Delhi", ""),
        ("en_dateline_runon_contact.txt", (2024, 3, 12), None, "Astana", ""),
        ("en_dateline_emdash.txt", (2024, 2, 19), None, "Astana", ""),
        ("en_dateline_tight_dash.txt", (2024, 1, 31), None, "Astana", ""),
        ("en_dateline_city_country.txt", (2024, 6, 27), None, "Astana", "Kazakhstan"),
        ("en_dateline_place_en_dash.txt", (2024, 11, 25), (2024, 11, 27), "Geneva", ""),
        ("en_on_date_no_title.txt", (2023, 8, 28), (2023, 8, 29), "Almaty", "Kazakhstan"),
        ("en_posted_on.txt", (2020, 10, 28), None, "", ""),
        ("en_date_alone.txt", (2024, 5, 15), None, "Astana", ""),
        ("en_statement_title_place_date.txt", (2023, 9, 21), None, "New York", ""),
        ("en_title_in_city_date.txt", (2021, 2, 26), None, "Nur-Sultan", ""),
        ("ru_dateline.txt", (2024, 3, 12), None, "Астана", ""),
        ("ru_date_alone.txt", (2019, 7, 3), None, "", ""),
        ("ru_date_v_gorode.txt", (2022, 2, 4), None, "Нур-Султан", ""),
    ],
)
def test_every_dateline_layout_gives_date_and_place(name, start, end, city, country):
    parsed = sample(name)
    assert parsed.date.start == datetime.date(*start)
    assert parsed.date.end == (datetime.date(*end) if end else None)
    assert (parsed.place.city, parsed.place.country) == (city, country)


def test_a_section_header_is_not_the_title_and_the_texts_shape_decides_its_kind():
    parsed = sample("en_statement_title_place_date.txt")
    # Filed under "Statements and Remarks", but delivered at a council to "Distinguished
    # colleagues": a speech.
    assert parsed.kind == "speech"
    assert parsed.title == "Statement by the CICA Secretary General at the OSCE Ministerial Council"


def test_a_breadcrumb_line_is_dropped():
    assert sample("en_dateline_date_place.txt").title == "CICA delegation visits New Delhi"


def test_posted_on_line_with_back_and_print_is_a_date_not_the_title():
    parsed = sample("en_posted_on.txt")
    assert parsed.kind == "speech"
    assert parsed.title == "Remarks of the Executive Director at the Webinar on Food Security"


def test_a_missing_title_is_taken_from_the_lead_and_the_editor_is_told():
    parsed = sample("en_on_date_no_title.txt")
    assert parsed.title.startswith(
        "CICA Secretariat organised a workshop on countering terrorism financing"
    )
    assert any("no title line" in w for w in parsed.warnings)


def test_a_greeting_without_a_date_has_no_date_and_says_so():
    parsed = sample("en_greeting_no_date.txt")
    assert parsed.date is None
    assert parsed.kind == "statement"
    assert any("no date" in w for w in parsed.warnings)


def test_bullets_become_a_markdown_list():
    body = sample("en_statement_title_place_date.txt").body
    assert (
        "- Confidence building in the military-political dimension;\n- Economic cooperation;\n- Environmental dimension."
        in body
    )


def test_a_signature_is_kept_as_its_own_lines():
    assert sample("en_greeting_no_date.txt").body.endswith(
        "With sincere regards,\n\nCICA Secretariat"
    )


def test_media_contact_on_separate_lines_with_phone_number_label():
    [contact] = sample("en_dateline_date_place.txt").media_contacts
    assert (contact.name, contact.role, contact.phone) == (
        "Akbota Batyrkhan",
        "Public Relations Officer",
        "+77770362658",
    )


def test_media_contact_run_on_in_one_line_with_email():
    parsed = sample("en_dateline_runon_contact.txt")
    [contact] = parsed.media_contacts
    assert (contact.name, contact.role, contact.phone, contact.email) == (
        "Akbota Batyrkhan",
        "PR Officer",
        "+77770362658",
        "press@s-cica.org",
    )
    assert "Media Contact" not in parsed.body


def test_stray_double_spaces_are_folded():
    assert "  " not in sample("en_dateline_runon_contact.txt").body


def test_title_keeps_its_words_when_place_and_date_are_cut_off():
    parsed = sample("en_title_in_city_date.txt")
    assert parsed.title == "Secretary General of CICA meets the President of Kazakhstan"


def test_people_with_honorific_and_title_in_either_order():
    people = {p.name: p for p in sample("en_dateline_emdash.txt").people}
    assert people["Kairat Sarybay"].title == "Secretary General of CICA"
    assert people["Khaled Emara"].honorific == "H.E."
    assert people["Khaled Emara"].title.startswith("Ambassador of the Arab Republic of Egypt")


def test_an_event_named_in_the_title_takes_the_release_date():
    [event] = sample("en_statement_title_place_date.txt").events
    assert event.name == "OSCE Ministerial Council"
    assert event.span.start == datetime.date(2023, 9, 21)


# ---------------------------------------------------------------- Russian


def test_russian_text_is_detected_and_parsed():
    parsed = sample("ru_dateline.txt")
    assert parsed.language == "ru"
    assert parsed.title == "Генеральный секретарь СВМДА встретился с послом Индии"
    [person] = parsed.people
    assert (person.name, person.title) == ("Кайрат Сарыбай", "Генеральный секретарь СВМДА")
    [contact] = parsed.media_contacts
    assert (contact.name, contact.phone) == ("Акбота Батырхан", "+77770362658")


def test_russian_announced_event_keeps_its_month_and_place():
    [event] = sample("ru_dateline.txt").events
    assert event.span.start == datetime.date(2024, 8, 1) and event.span.precision == "month"
    assert event.place.city == "Астана"


def test_russian_section_header_gives_the_kind():
    assert sample("ru_date_alone.txt").kind == "speech"


def test_russian_organisations_map_to_the_same_records():
    acronyms = {o.acronym for o in sample("ru_date_v_gorode.txt").organisations}
    assert {"CICA", "SCO", "CSTO"} <= acronyms


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"  \n\n\t \n", "only white space"),
        (b"\x00\x01\x02binary", "binary"),
        ("Заголовок\n\nТекст".encode("cp1251"), "not UTF-8"),
    ],
)
def test_undecodable_files_are_refused_with_a_reason(data, message):
    with pytest.raises(BadFile, match=message):
        decode(data)


def test_not_utf8_names_the_line():
    with pytest.raises(BadFile) as err:
        decode(b"Title\n\nGood line\n" + "Плохая".encode("cp1251"))
    assert err.value.line == 4 and str(err.value).startswith("line 4:")


def test_a_utf8_bom_is_accepted():
    assert decode("\ufeffTitle".encode()) == "Title"


def test_a_title_over_the_field_length_is_refused():
    with pytest.raises(BadFile, match="limit is 500"):
        parse_release("A" * 600 + "\n\nSome body text.")


def test_a_title_with_no_text_is_refused():
    with pytest.raises(BadFile, match="no text"):
        parse_release("Press Releases\n\nJust a title")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_text_never_raises_anything_but_badfile(text):
    try:
        parsed = parse_release(text)
    except BadFile:
        return
    assert isinstance(parsed.title, str) and len(parsed.title) <= 300


@settings(max_examples=300, deadline=None)
@given(st.binary())
def test_random_bytes_never_raise_anything_but_badfile(data):
    try:
        parse_release(decode(data))
    except BadFile:
        pass


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Press Releases",
                "Media Contact:",
                "Phone: +7 777 036 26 58",
                "Astana, 22 January 2024 –",
                "•",
                "On October 12, 2020,",
                "Ambassador K.Sarybay",
                "“",
                "(CICA)",
                "12 марта 2024 г. - Астана -",
                "",
                "Conference",
                "Summit of the Future",
                "scheduled for May",
                "in Astana",
                "Posted on: | Back | Print",
            ]
        ),
        max_size=12,
    ).map(" \n".join)
)
def test_fragments_of_real_layouts_never_crash_the_parser(text):
    try:
        parse_release(text)
    except BadFile:
        pass
