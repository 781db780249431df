"""core.rows: instances made from rows in one step are the instances Django's from_db makes."""

from unittest import mock

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db.models import signals
from django.db.models.base import DEFERRED
from django.test import Client

from core import rows
from core.rows import QuickFromDbMixin
from editorial.models import ChangeNote, StateChange
from library.models import Image
from releases.models import EventImage, Release, ReleasePerson

from .factories import make_appointment, make_event, make_topic
from .test_library import a_picture, with_media_and_a_translation

QUICK_MODELS = [model for model in apps.get_models() if issubclass(model, QuickFromDbMixin)]


def djangos_way():
    """Every model made by Django's own from_db, as if no model had the mixin."""
    return mock.patch.object(rows, "_plan", lambda model: None)


def portrait(obj, depth=0) -> dict:
    """What an instance holds: its attributes, its state, and the related rows it carries."""
    found = {name: value for name, value in vars(obj).items() if name != "_state"}
    state = vars(obj._state).copy()
    related = state.pop("fields_cache", {})
    found["_state"] = state
    found["_related"] = {
        name: None if value is None else portrait(value, depth + 1)
        for name, value in related.items()
    }
    found["_deferred"] = obj.get_deferred_fields()
    found["_class"] = type(obj)
    return found


@pytest.fixture
def content(seeds):
    release = with_media_and_a_translation(seeds["004"])
    mention = release.mentions.select_related("person").first()
    make_appointment(mention.person)
    release.topics.add(make_topic())
    ChangeNote.objects.create(item=release, note="Corrected a name.")
    StateChange.objects.create(item=release, action="published", to_status="published")
    EventImage.objects.create(event=make_event(), image=a_picture(), position=0)
    return release


def test_the_mixin_makes_most_public_models_in_one_step():
    quick = {model.__name__ for model in QUICK_MODELS if rows._plan(model)}
    assert {"Release", "Event", "Person", "Organisation", "Topic", "ReleasePerson"} <= quick
    assert {"MediaContact", "Appointment", "ChangeNote", "Document", "Rendition"} <= quick
    # An ImageField with width and height fields listens to post_init: made Django's way.
    assert rows._plan(Image) is None and signals.post_init.has_listeners(Image)


@pytest.mark.parametrize("model", QUICK_MODELS, ids=lambda model: model.__name__)
def test_every_row_read_every_way_is_the_instance_djangos_from_db_makes(content, model):
    fields = [field.name for field in model._meta.concrete_fields]
    relations = [
        field.name for field in model._meta.concrete_fields if field.is_relation and field.null
    ][:2] + [field.name for field in model._meta.concrete_fields if field.many_to_one][:2]
    ways = {
        "all": lambda: model._default_manager.order_by("pk"),
        "some fields": lambda: model._default_manager.order_by("pk").only(*fields[:3]),
        "all but one": lambda: model._default_manager.order_by("pk").defer(fields[-1]),
        "with related rows": lambda: model._default_manager.order_by("pk").select_related(
            *dict.fromkeys(relations)
        ),
    }
    for way, rows_of in ways.items():
        quick = [portrait(obj) for obj in rows_of()]
        with djangos_way():
            django = [portrait(obj) for obj in rows_of()]
        assert quick == django, (model.__name__, way)
    assert model._default_manager.exists()  # each way compared on rows, not on none


def test_pages_and_api_answers_are_the_same_bytes_either_way(content):
    """The public pages and answers that read the most rows, made both ways."""
    person = ReleasePerson.objects.filter(release=content).first().person
    paths = [
        "/",
        "/press-releases/",
        content.get_absolute_url(),
        person.get_absolute_url(),
        "/people/",
        "/api/v1/releases/",
        f"/api/v1/releases/{content.slug}/",
        "/api/v1/people/",
        "/api/v1/events/",
        "/press-releases/feed/",
        "/media-contacts/",
        "/events/",
        "/search/?q=Secretary",
        "/sitemap.xml",
    ]
    client = Client()
    answers = {}
    for path in paths:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        answers[path] = response.content
    with djangos_way():
        for path in paths:
            cache.clear()
            assert client.get(path, follow=True).content == answers[path], path


def test_a_model_someone_listens_to_is_made_djangos_way(content):
    made = []

    def heard(sender, instance, **kwargs):
        made.append(instance.pk)

    signals.post_init.connect(heard, sender=Release)
    try:
        found = list(Release.objects.order_by("pk"))
    finally:
        signals.post_init.disconnect(heard, sender=Release)
    assert made == [release.pk for release in found] and made
    assert Release.objects.get(pk=content.pk)._as_loaded  # its own from_db ran


def test_values_that_are_not_a_rows_go_to_djangos_from_db(content):
    names = [field.attname for field in Release._meta.concrete_fields]
    values = [getattr(content, name) for name in names]
    values[names.index("lead")] = DEFERRED
    made = Release.from_db("default", names, values)
    assert "lead" in made.get_deferred_fields() and made.title == content.title
    assert made.lead == content.lead  # read from the database when asked for
    assert not made._state.adding and made._state.db == "default"
