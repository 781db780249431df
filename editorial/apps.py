from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = _("Editorial workflow")

    def ready(self):
        from django.contrib import admin
        from django.utils.translation import gettext_lazy as _

        from core.caching import watch

        # The portal's name in every admin screen, not "Django administration".
        admin.site.site_header = _("CICA press office")
        admin.site.site_title = _("CICA press office")
        admin.site.index_title = _("Editorial workspace")

        from .models import ChangeNote

        # Change notes are shown with the item they correct.
        watch(ChangeNote)
