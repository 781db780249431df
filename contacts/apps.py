from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "People, organisations and media contacts"

    def ready(self):
        from core.caching import watch

        from .models import Appointment, MediaContact, Organisation, Person

        # Shown on public pages and in the API: a change starts a new content version.
        watch(Person, Appointment, Organisation, MediaContact)
