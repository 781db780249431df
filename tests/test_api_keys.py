"""Partners' API keys: a key raises the client's rate to its own, is counted per day, sees what
the public sees (cached answers included), and is refused (401) once revoked or expired; the
rate headers on every answer; only the key's fingerprint is stored."""

import datetime

import pytest
from django.utils import timezone

from core.models import ApiKey, ApiKeyUsage

from .factories import make_release
from .workspace import client_for

API = "/api/v1"


def new_key(rate="5/minute", **fields) -> tuple[ApiKey, str]:
    row = ApiKey(name="Kazinform", rate=rate, **fields)
    key = row.make_key()
    row.full_clean()
    row.save()
    return row, key


@pytest.fixture(autouse=True)
def _mid_window(time_machine):
    """Fixed windows: half a minute into one, so no test straddles two."""
    time_machine.move_to(datetime.datetime(2026, 12, 7, 10, 0, 30, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def slow_public(settings):
    settings.API_ANON_RATE = "2/minute"


def test_a_key_raises_the_rate_and_is_counted(client, db, slow_public):
    row, key = new_key()
    anonymous = [client.get(f"{API}/topics/").status_code for _ in range(3)]
    assert anonymous == [200, 200, 429]
    keyed = [
        client.get(f"{API}/topics/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code
        for _ in range(3)
    ] + [client.get(f"{API}/topics/", HTTP_X_API_KEY=key).status_code for _ in range(3)]
    assert keyed == [200, 200, 200, 200, 200, 429]
    usage = ApiKeyUsage.objects.get(key=row)
    assert usage.day == timezone.localdate() and usage.requests == 5  # the 429 is not counted


def test_every_answer_says_the_limit_and_what_is_left(client, db, slow_public):
    row, key = new_key(rate="4/hour")
    first = client.get(f"{API}/releases/")
    assert first["X-RateLimit-Limit"] == "2" and first["X-RateLimit-Remaining"] == "1"
    assert int(first["X-RateLimit-Reset"]) == 30
    keyed = client.get(f"{API}/releases/", HTTP_X_API_KEY=key)
    assert keyed["X-RateLimit-Limit"] == "4" and keyed["X-RateLimit-Remaining"] == "3"
    assert int(keyed["X-RateLimit-Reset"]) == 3600 - 30  # fixed hourly windows
    assert keyed["Cache-Control"].startswith("private")  # its headers are this partner's
    client.get(f"{API}/releases/")
    refused = client.get(f"{API}/releases/")
    assert refused.status_code == 429 and refused["X-RateLimit-Remaining"] == "0"


def test_a_key_sees_exactly_what_the_public_sees(client, db):
    public = make_release(title="Public one")
    make_release(title="Embargoed", publish_at=timezone.now() + datetime.timedelta(days=1))
    row, key = new_key(rate="100/minute")
    anonymous = client.get(f"{API}/releases/").json()
    keyed = client.get(f"{API}/releases/", HTTP_X_API_KEY=key)
    assert keyed.json() == anonymous and [r["slug"] for r in anonymous["results"]] == [public.slug]
    assert keyed["X-Cache"] == "hit"  # the same cached answer


def test_a_wrong_revoked_or_expired_key_is_refused(client, db):
    row, key = new_key()
    expired, old = new_key(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    for header in (
        {"HTTP_X_API_KEY": "cica_nonsense"},
        {"HTTP_AUTHORIZATION": "Bearer cica_nonsense"},
        {"HTTP_X_API_KEY": old},
    ):
        response = client.get(f"{API}/releases/", **header)
        assert response.status_code == 401, header
        assert response.json()["code"] == "authentication_failed"
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.get(f"{API}/releases/", HTTP_X_API_KEY=key).status_code == 200
    row.revoked_at = timezone.now()
    row.save()
    assert client.get(f"{API}/releases/", HTTP_X_API_KEY=key).status_code == 401


def test_only_the_fingerprint_is_stored(db):
    row, key = new_key()
    stored = ApiKey.objects.filter(pk=row.pk).values().get()
    assert key not in str(stored.values())
    assert key.startswith(stored["lookup"]) and len(stored["lookup"]) < 15


def test_the_admin_makes_a_key_shown_once_and_revokes_it(db, client):
    publisher = client_for("publisher")
    response = publisher.post(
        "/admin/core/apikey/add/",
        {
            "name": "Xinhua",
            "contact": "api@xinhua.example",
            "rate": "6000/hour",
            "expires_at_0": "",
            "expires_at_1": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    (key,) = [w for m in shown for w in m.split() if w.startswith("cica_")]
    row = ApiKey.objects.get()
    assert client.get(f"{API}/topics/", HTTP_X_API_KEY=key).status_code == 200
    page = publisher.get(f"/admin/core/apikey/{row.pk}/change/").content.decode()
    assert key not in page and "requests per day" in page.lower()
    listing = publisher.get("/admin/core/apikey/").content.decode()
    assert key not in listing
    publisher.post("/admin/core/apikey/", {"action": "revoke", "_selected_action": [row.pk]})
    assert client.get(f"{API}/topics/", HTTP_X_API_KEY=key).status_code == 401
    response = publisher.post(
        "/admin/core/apikey/add/",
        {"name": "Bad", "rate": "lots", "expires_at": ""},
    )
    assert response.status_code == 200 and "rate" in response.context["adminform"].form.errors
    assert client_for("editor").get("/admin/core/apikey/").status_code == 403


def test_the_key_list_query_count_does_not_grow(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publisher = client_for("publisher")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert publisher.get("/admin/core/apikey/").status_code == 200
        return len(queries)

    new_key()
    few = count()
    for _ in range(15):
        new_key()
    assert count() == few


def test_the_schema_documents_keys_rate_headers_and_webhooks(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    assert schema["openapi"].startswith("3.1")
    schemes = schema["components"]["securitySchemes"]
    assert (
        schemes["PartnerKey"]["name"] == "X-API-Key"
        and schemes["PartnerBearer"]["scheme"] == "bearer"
    )
    listing = schema["paths"]["/api/v1/releases/"]["get"]
    assert {"PartnerKey": []} in listing["security"] and {} in listing["security"]
    for code in ("200", "429"):
        assert "X-RateLimit-Remaining" in listing["responses"][code]["headers"]
    hooks = schema["webhooks"]
    assert set(hooks) == {
        "release.published", "release.corrected", "release.withdrawn",
        "event.published", "event.changed", "event.withdrawn",
    }  # fmt: skip
    body = hooks["release.published"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/ReleaseMessage")
    assert "webhook-signature" in hooks["release.published"]["post"]["description"]
