"""generate_demo_data: realistic synthetic content that the site and API can serve."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from contacts.models import Organisation, Person
from editorial.models import Status
from releases.models import Event, Release

pytestmark = pytest.mark.django_db


def test_demo_data_has_every_state_both_languages_and_links(client):
    call_command("generate_demo_data", "--releases", "400", stderr=StringIO())
    assert Release.objects.count() == 400
    states = set(Release.objects.values_list("status", flat=True))
    assert {Status.PUBLISHED, Status.DRAFT, Status.WITHDRAWN} <= states
    assert Release.objects.scheduled().exists()
    assert set(Release.objects.values_list("language", flat=True)) == {"en", "ru"}
    release = Release.objects.public().first()
    assert release.mentions.count() == 2 and release.topics.exists() and release.events.exists()
    assert Event.objects.public().exists()
    # The long tail: people and an organisation named once, in an old release.
    once = Person.objects.public().filter(slug__contains="-once-").annotate(n=Count("mentions"))
    assert [person.n for person in once] == [1, 1, 1]
    assert Organisation.objects.public().filter(slug__startswith="visiting-delegation").exists()
    assert client.get(once.first().get_absolute_url()).status_code == 200
    assert client.get("/press-releases/").status_code == 200
    assert client.get(release.get_absolute_url()).status_code == 200
    assert client.get("/api/v1/releases/").json()["results"]
