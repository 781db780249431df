"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cica_portal.settings")

application = get_wsgi_application()

# gunicorn loads this module once in its master and forks the workers from it: what they would
# each load on their first requests is loaded here instead (core/preload.py).
from core.preload import load_for_workers  # noqa: E402 (needs Django set up)

load_for_workers()
