"""The library's background work (Django's tasks API): renditions, never in a visitor's request."""

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task


@task()
def make_renditions(image_id: int) -> int:
    from . import renditions
    from .models import Image

    image = Image.objects.filter(pk=image_id).first()
    return renditions.make(image) if image is not None else 0
