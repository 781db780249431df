from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial workflow"

    def ready(self):
        from core.caching import watch

        from .models import ChangeNote

        # Change notes are shown with the item they correct.
        watch(ChangeNote)
