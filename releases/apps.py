from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Releases, events and topics"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from contacts.models import Appointment, MediaContact, Organisation, Person

        from .caching import content_changed
        from .models import ChangeNote, Event, Release, ReleasePerson, Topic

        # Anything a public page or API response shows: a change starts a new content version.
        for model in (
            Release,
            Event,
            Topic,
            ReleasePerson,
            Person,
            Appointment,
            Organisation,
            MediaContact,
            ChangeNote,
        ):
            post_save.connect(
                content_changed, sender=model, dispatch_uid=f"cache-save-{model.__name__}"
            )
            post_delete.connect(
                content_changed, sender=model, dispatch_uid=f"cache-delete-{model.__name__}"
            )
        for model in (Release, Event):
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    content_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"cache-m2m-{model.__name__}-{field.name}",
                )
