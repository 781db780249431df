from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site plumbing"

    def ready(self):
        from . import database

        database.connect()
