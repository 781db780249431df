from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Releases, events and topics")

    def ready(self):
        from core.caching import watch
        from core.redirects import watch_addresses

        from . import kits
        from .models import (
            Event,
            EventImage,
            MediaKit,
            Release,
            ReleaseImage,
            ReleasePerson,
            Topic,
        )

        # Anything a public page or API answer shows: a change starts a new content version,
        # and so does a scheduled release or event going live.
        watch(
            MediaKit,
            Release,
            Event,
            Topic,
            ReleasePerson,
            ReleaseImage,
            EventImage,
            scheduled=(Release, Event),
        )
        # A public item's renamed address leads to its new one.
        watch_addresses(Release, Event, Topic)
        kits.connect()  # the worker rebuilds an item's zip when what it holds changes
