"""Django's own strings that its Russian catalogue does not translate yet.

Listed here so that `make catalogue` keeps them in ours (locale/ru), which Django reads before
its own. Remove a line once the Django release the pin allows translates it.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    # Django 6.1: the blank choice of every select box, the admin's action menu included.
    gettext_noop("- Select an option -"),
)
