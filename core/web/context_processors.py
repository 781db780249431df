"""The language switcher and hreflang alternates on every public page."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation


def languages(request):
    """Each language's version of this page, for the switcher and `<link rel="alternate">`.

    A content page (a release, an event) sets `request.language_versions` to the versions that
    exist and are public, {language: url}; a language missing there gets no alternate, and the
    switcher says so and offers that language's home page. Other pages exist in every language:
    the same page with the other prefix (its filters and page number left behind: they name
    things of the language left).
    """
    current = translation.get_language()
    known = getattr(request, "language_versions", None)
    entries = []
    for code, name in settings.LANGUAGES:
        if known is None:
            urlconf = get_urlconf() or settings.ROOT_URLCONF
            prefix = get_script_prefix()
            url, exists = same_page_in(request.path, code, urlconf, current, prefix), True
        elif code in known:
            url, exists = known[code], True
        else:
            with translation.override(code):
                url, exists = reverse(settings.HOME_URL_NAME), False
        entries.append(
            {"code": code, "name": name, "url": url, "exists": exists, "current": code == current}
        )
    return {"language_versions": entries}


@lru_cache(maxsize=4096)
def same_page_in(path: str, language: str, urlconf, active: str, script_prefix: str) -> str:
    """`path` with `language`'s prefix: resolving and reversing it costs more than the rest of
    a small page, and the pages without their own versions are few (lists, people, topics).
    (Resolving reads the active language's prefix, and reversing writes the script prefix:
    both are part of the key.)"""
    return translate_url(path, language)
