"""The background work of releases and events (the task worker)."""

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task


@task()
def build_media_kit(kind: str, pk: int) -> str:
    from . import kits

    return kits.build(kind, pk)
