"""Nothing is lost by a delete: records that releases name are merged, not deleted; what was
published is withdrawn; change notes and the log stay."""

import re

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from contacts.models import Appointment, Person
from editorial import workflow
from editorial.merging import merge
from editorial.models import ChangeNote, StateChange, Status
from releases.models import Release

from .factories import make_appointment, make_person, make_release, make_topic

pytestmark = pytest.mark.django_db


def test_a_person_named_by_releases_cannot_be_deleted_and_the_page_lists_the_uses(admin_client):
    person = make_person(name="Kairat Sarybay")
    release = make_release(title="The Secretary General spoke")
    release.mentions.create(person=person)
    make_appointment(person)
    page = admin_client.get(reverse("admin:contacts_person_delete", args=[person.pk]))
    html = page.content.decode()
    assert "The Secretary General spoke" in html and "Merge selected" in html
    admin_client.post(reverse("admin:contacts_person_delete", args=[person.pk]), {"post": "yes"})
    assert Person.objects.filter(pk=person.pk).exists()
    assert release.mentions.count() == 1 and Appointment.objects.filter(person=person).exists()
    with pytest.raises(ProtectedError):
        person.delete()


def test_an_unused_record_can_still_be_deleted(admin_client):
    topic = make_topic()
    admin_client.post(reverse("admin:releases_topic_delete", args=[topic.pk]), {"post": "yes"})
    assert not type(topic).objects.filter(pk=topic.pk).exists()


def test_merging_moves_every_link_and_keeps_the_spellings(admin_client):
    kept = make_person(name="Kairat Sarybay")
    duplicate = make_person(name="Kairat Sarybai", aliases=["K.Sarybai"])
    both = make_release()
    both.mentions.create(person=kept)
    both.mentions.create(person=duplicate)
    only_duplicate = make_release()
    only_duplicate.mentions.create(person=duplicate, title_given="Secretary General")
    make_appointment(duplicate)
    response = admin_client.post(
        reverse("admin:contacts_person_changelist"),
        {"action": "merge_selected", "_selected_action": [kept.pk, duplicate.pk], "keep": kept.pk},
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    kept.refresh_from_db()
    assert {"Kairat Sarybai", "K.Sarybai"} <= set(kept.aliases)
    assert only_duplicate.mentions.get().person == kept and both.mentions.count() == 1
    assert Appointment.objects.filter(person=kept).count() == 1
    assert "merged “Kairat Sarybai”" in kept.history.first().history_change_reason


def test_merge_asks_which_record_to_keep_first(admin_client):
    a, b = make_topic(name="Water"), make_topic(name="Water security")
    page = admin_client.post(
        reverse("admin:releases_topic_changelist"),
        {"action": "merge_selected", "_selected_action": [a.pk, b.pk]},
    )
    assert page.status_code == 200 and 'name="keep"' in page.content.decode()


def test_what_was_published_is_never_deleted_not_even_by_a_superuser(admin_client):
    release = make_release()
    workflow.log(None, release, StateChange.Action.PUBLISHED)
    ChangeNote.objects.create(item=release, note="Corrected the date.")
    withdrawn_draft = make_release(status=Status.DRAFT, publish_at=None)
    workflow.log(None, withdrawn_draft, StateChange.Action.WITHDRAWN)
    for item in (release, withdrawn_draft):
        admin_client.post(reverse("admin:releases_release_delete", args=[item.pk]), {"post": "yes"})
        assert Release.objects.filter(pk=item.pk).exists()
    assert ChangeNote.objects.count() == 1 and StateChange.objects.count() == 2


def test_a_draft_never_published_may_be_deleted_and_recovered_from_its_history(admin_client):
    draft = make_release(title="Never published", status=Status.DRAFT, publish_at=None)
    draft.save()  # a revision
    admin_client.post(reverse("admin:releases_release_delete", args=[draft.pk]), {"post": "yes"})
    assert not Release.objects.filter(pk=draft.pk).exists()
    deleted = admin_client.get(reverse("admin:releases_release_deleted")).content.decode()
    assert "Never published" in deleted
    last = Release.history.filter(id=draft.pk).exclude(history_type="-").first()
    restore = reverse("admin:releases_release_simple_history", args=[draft.pk, last.history_id])
    assert restore in deleted and admin_client.get(restore).status_code == 200
    from .workspace import form_data

    admin_client.post(restore, form_data(last.instance, restore_reason="Deleted by mistake."))
    assert Release.objects.get(pk=draft.pk).title == "Never published"


def test_merge_refuses_two_kinds_or_one_record():
    person = make_person()
    with pytest.raises(ValueError):
        merge(person, person)


def test_revisions_keep_the_links_and_a_restore_brings_them_back(admin_client):
    from .workspace import form_data

    release = make_release(status=Status.DRAFT, publish_at=None)
    topic = make_topic(name="Water")
    person = make_person(name="Kairat Sarybay")
    release.topics.add(topic)
    release.mentions.create(person=person, title_given="Secretary General")
    release.save()
    then = release.history.first()
    release.topics.clear()
    release.mentions.all().delete()
    release.save()
    assert list(then.topics.values_list("topic_id", flat=True)) == [topic.pk]
    url = reverse("admin:releases_release_simple_history", args=[release.pk, then.history_id])
    assert f'value="{topic.pk}" selected' in admin_client.get(url).content.decode()
    response = admin_client.post(
        url, form_data(release, topics=[topic.pk], restore_reason="Back to the first links.")
    )
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", response.content.decode()
    )
    assert list(release.topics.all()) == [topic]
    assert release.mentions.get().title_given == "Secretary General"


def test_restoring_a_revision_that_names_a_merged_person_names_the_one_kept(admin_client):
    from .workspace import form_data

    release = make_release(status=Status.DRAFT, publish_at=None)
    spelling = make_person(name="K. Sarybay")
    kept = make_person(name="Kairat Sarybay")
    release.mentions.create(person=spelling, title_given="Secretary General")
    release.save()
    then = release.history.first()
    release.mentions.all().delete()
    release.save()
    merge(spelling, kept)
    url = reverse("admin:releases_release_simple_history", args=[release.pk, then.history_id])
    response = admin_client.post(url, form_data(release, restore_reason="The first people."))
    assert response.status_code == 302
    assert release.mentions.get().person == kept
