"""Addresses of public pages, made without reversing the URL pattern each time.

Django's `reverse()` costs tens of microseconds a call (more under `translation.override`), and
a list page or an API answer names hundreds of pages: on a cold page it was a tenth of the time.
A page's address is its pattern with one value put in (a slug or a number), so the pattern is
reversed once per view name, language and URLconf with a marker in place of the value, and
later addresses are the two halves around the value. A value the marker's characters do not
cover (a slug with letters outside ASCII, which `reverse()` percent-encodes) goes through
`reverse()` as before, so every address is the one `reverse()` gives. A page without a value
(the lists every page's header links to) is reversed once. Templates ask with `{% address %}`.

What an address depends on besides the view and value is read from `asgiref` locals: the active
language, the URLconf and the script prefix, about 3 us apiece, a third of the time to
serialise an API page of twenty releases (160 addresses). The URLconf and script prefix are set
for a request before its view runs and by nothing inside it, so they are read once when the
view is about to run (`core.middleware.FixedAddressesMiddleware`) and every address the view
and its templates make uses them; the language, which code does change within a request
(`translation.override`), is read for each address. With
`STATEMENTS_CHECK` on (the test suite) each address checks the two against the live ones.
"""

import re
from contextvars import ContextVar

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

# One marker a slug converter takes, one an int converter takes (a value of digits uses it).
_MARKERS = ("0pagelinkmarker0", "90817263544536271809")
_PLAIN = re.compile(r"[-a-zA-Z0-9_]+")  # what slug and int converters take and quoting keeps
_HALVES: dict[tuple, tuple[str, str]] = {}
_PLAIN_PAGES: dict[tuple, str] = {}


_fixed: ContextVar[tuple | None] = ContextVar("addresses_fixed", default=None)


def _where() -> tuple:
    """The URLconf and the script prefix addresses are made with now."""
    return (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def fix_addresses():
    """From now until `unfix(token)`, addresses are made with the URLconf and script prefix in
    force now, read once (a view's: see the module's docstring). Returns the token."""
    return _fixed.set((*_where(), getattr(settings, "STATEMENTS_CHECK", False)))


def unfix(token) -> None:
    _fixed.reset(token)


def page_url(viewname: str, language: str | None = None, **kwargs) -> str:
    """`reverse(viewname, kwargs=kwargs)` in `language` (else the active one), for at most one
    value."""
    language = language or translation.get_language()
    fixed = _fixed.get()
    if fixed is None:
        where = _where()
    else:
        where = fixed[:2]
        if fixed[2] and where != _where():  # checking (the test suite)
            raise RuntimeError(f"the URLconf or script prefix changed within a view: {_where()}")
    if not kwargs:  # a page without values: its address, reversed once
        key = (viewname, language, *where)
        address = _PLAIN_PAGES.get(key)
        if address is None:
            with translation.override(language):
                address = _PLAIN_PAGES[key] = reverse(viewname)
        return address
    ((name, value),) = kwargs.items()
    value = str(value)
    if not _PLAIN.fullmatch(value):
        with translation.override(language):
            return reverse(viewname, kwargs={name: value})
    marker = _MARKERS[value.isdigit()]
    key = (viewname, name, marker, language, *where)
    halves = _HALVES.get(key)
    if halves is None:
        with translation.override(language):
            before, _, after = reverse(viewname, kwargs={name: marker}).partition(marker)
        halves = _HALVES[key] = (before, after)
    return halves[0] + value + halves[1]
