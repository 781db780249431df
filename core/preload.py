"""What every web worker would load on its first requests, loaded once before the workers start.

gunicorn loads the app in its master (`preload_app`) and forks the workers from it, but Django
loads the URLconf, and with it every view module, DRF and the API schema, on the first request,
as it does the cache backend and what else the settings name by dotted path; it builds each
language's table of addresses on the first `reverse()` in it, and compiles each Jinja2 template
the first time it renders: each worker did all that anew, about 400 ms spread over its first
requests (200-250 ms on the very first, whatever it asked for), and again whenever a worker is
recycled. Loaded in the master, the workers inherit it (sharing the memory pages) and their
first requests cost what later ones do, less their own database connection.

Nothing here touches the database or the cache, nor makes anything a request could see
differently: modules imported, tables built, templates compiled, as a first request would.
"""

from django.conf import settings
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.urls import get_resolver
from django.utils import translation
from django.utils.module_loading import import_string
from jinja2 import TemplateError


def load_for_workers() -> None:
    # What the settings name by dotted path, imported when first used: the cache backends (the
    # Redis client's 70 modules, 40 ms), the session serializer and the message storage.
    for config in settings.CACHES.values():
        import_string(config["BACKEND"])
    import_string(settings.SESSION_SERIALIZER)
    import_string(settings.MESSAGE_STORAGE)
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the URLconf and every view module it names)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 (built per active language)
    for engine in engines.all():
        getattr(engine, "engine", engine).template_context_processors  # noqa: B018 (imported)
        if not isinstance(engine, Jinja2):
            continue
        for name in engine.env.list_templates():
            try:
                engine.env.get_template(name)
            except (TemplateError, UnicodeDecodeError):
                continue  # not a template, or a broken one: it fails where it is rendered
