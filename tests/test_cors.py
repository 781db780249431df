"""Reading from other origins (django-cors-headers): the API, feeds and calendars answer any
origin without credentials; the admin and the forms never do. And /.well-known/security.txt."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import make_event, make_release

pytestmark = pytest.mark.django_db

ORIGIN = {"origin": "https://news.example.org"}


@pytest.mark.parametrize(
    "path", ["/api/v1/releases/", "/press-releases/feed/", "/events/calendar.ics", "/api/schema/"]
)
def test_open_data_answers_any_origin_without_credentials(client, path):
    make_release()
    make_event()
    answer = client.get(path, headers=ORIGIN)
    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer
    again = client.get(path, headers=ORIGIN)  # from the cache: the same headers
    assert again["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_is_answered(client):
    answer = client.options(
        "/api/v1/releases/",
        headers={**ORIGIN, "access-control-request-method": "GET"},
    )
    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "GET" in answer["Access-Control-Allow-Methods"]
    assert "POST" not in answer["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("path", ["/admin/login/", "/alerts/", "/press-releases/", "/"])
def test_the_admin_forms_and_pages_are_not_shared(client, path):
    answer = client.get(path, headers=ORIGIN)
    assert "Access-Control-Allow-Origin" not in answer


def test_security_txt_names_the_contact_and_an_expiry_within_a_year(client, settings):
    settings.SECURITY_CONTACTS = ["mailto:security@s-cica.org", "https://s-cica.org/security"]
    answer = client.get("/.well-known/security.txt")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/plain")
    lines = dict(line.split(": ", 1) for line in answer.content.decode().splitlines())
    assert answer.content.decode().count("Contact: ") == 2
    expires = datetime.datetime.fromisoformat(lines["Expires"].replace("Z", "+00:00"))
    assert timezone.now() < expires < timezone.now() + datetime.timedelta(days=365)
    assert lines["Canonical"].endswith("/.well-known/security.txt")
