from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("People, organisations and media contacts")

    def ready(self):
        from core.caching import watch
        from core.redirects import watch_addresses

        from .models import Appointment, MediaContact, Organisation, Person

        # Shown on public pages and in the API: a change starts a new content version.
        watch(Person, Appointment, Organisation, MediaContact)
        watch_addresses(Person, Organisation)  # a renamed public page leads to its new address
