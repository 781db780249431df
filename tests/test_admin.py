"""The editors' workspace: every admin page opens, with the seeds in place."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from contacts.models import Appointment, MediaContact, Organisation, Person
from releases.models import Event, Release, Topic

pytestmark = pytest.mark.django_db

MODELS = [Release, Event, Topic, Person, Organisation, Appointment, MediaContact]


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser(
        "chief", "chief@example.org", "a-long-unique-passphrase"
    )
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_open(editor_client, seeds, model):
    meta = model._meta
    base = f"admin:{meta.app_label}_{meta.model_name}"
    assert editor_client.get(reverse(f"{base}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"{base}_changelist"), {"q": "CICA"}).status_code == 200
    assert editor_client.get(reverse(f"{base}_add")).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        assert editor_client.get(reverse(f"{base}_change", args=[obj.pk])).status_code == 200


def test_autocomplete_finds_people_by_an_alias(editor_client, seeds):
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "term": "Sarybay",
            "app_label": "releases",
            "model_name": "releaseperson",
            "field_name": "person",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Kairat Sarybay"]


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get("/admin/releases/release/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_saving_in_the_admin_records_who_and_normalises_the_phone(editor_client, db):
    response = editor_client.post(
        reverse("admin:contacts_mediacontact_add"),
        {
            "name": "Aliya Nurlanova",
            "role": "Press Officer",
            "phone": "+7 (701) 123-45-67",
            "email": "a@example.org",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert MediaContact.objects.get().phone == "+77011234567"
