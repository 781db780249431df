"""The public site's template engine: Jinja2, writing what Django's template language wrote.

A public page spent about half its server time in Django's template language, most of it
resolving variables and rendering nodes; the same pages from Jinja2, which compiles a template to
Python, take about half as long to render (measured page by page: README, "Benchmarks"). The
editors' workspace and the mails keep Django's language (the admin is built on it; nobody waits
for a mail's template).

Where the two languages differ, the pages keep what Django wrote, byte for byte:

- Escaping: Django writes `&quot;` and `&#x27;` where markupsafe writes `&#34;` and `&#39;`.
  Every value goes through `finalize()`: localised as Django localised it (numbers, Astana time),
  then Django's `conditional_escape`. Jinja2 leaves alone what comes back safe.
- Translations: `{{ _("Search") }}` is `{% translate "Search" %}`, the translation of a text the
  template wrote, not escaped; `{{ _("Page %(number)s")|fill(number=n) }}` is
  `{% blocktranslate %}`: the translation as it is, the values put in escaped; `ngettext(...)`
  the same with a count. `makemessages` (core's) finds these with Jinja2's own parser.
- Django's filters where Jinja2 has none or another (`date`, `truncatewords`, `filesizeformat`,
  `join`, `urlencode`), given times in Astana time as Django gave them.
- Jinja2 calls no method by itself: `{{ release.get_absolute_url() }}`. A missing value writes
  nothing, as before, and so does any attribute of a missing value.
"""

import datetime
import html
import json
import re

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils.dates import MONTHS, MONTHS_ALT
from django.utils.formats import date_format as django_date_format
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, strip_spaces_between_tags
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import ChainableUndefined, Environment, pass_context
from markupsafe import Markup

from core.links import page_url
from core.markdown import render_markdown


def environment(**options) -> Environment:
    """The public site's Jinja2 environment (TEMPLATES' `environment` option)."""
    options["keep_trailing_newline"] = True  # as Django's templates end, with their last newline
    options["finalize"] = finalize
    # As in Django's language, a missing value, or any attribute or item of one, writes nothing
    # (the error pages render without a request; a page's optional parts are simply absent).
    options["undefined"] = ChainableUndefined
    env = Environment(**options)
    env.globals.update(
        _=translate,
        ngettext=translate_plural,
        static=static,
        address=page_url,
        url=url,
        query_with=query_with,
        date_range=date_range,
        json_ld=json_ld,
    )
    env.filters.update(
        fill=fill,
        local_name=local_name,
        local_title=local_title,
        current_title=current_title,
        month_since=month_since,
        month_until=month_until,
        markdown=render_markdown,
        utc_time=utc_time,
        highlight=highlight,
        spaceless=spaceless,
        date=date,
        truncatewords=defaultfilters.truncatewords,
        filesizeformat=defaultfilters.filesizeformat,
        join=defaultfilters.join,
        urlencode=defaultfilters.urlencode,
    )
    return env


def finalize(value):
    """What `{{ value }}` writes: as Django's `render_value_in_context()` wrote it (localised,
    then escaped its way), safe, so Jinja2 writes it as it is."""
    if value.__class__ is str:  # most values: nothing to localise; what Django's `escape()`
        return Markup(html.escape(value))  # does, without its check for lazy text (1.5 us)
    if hasattr(value, "__html__"):
        return value
    return conditional_escape(localize(template_localtime(value)))


# ---------------------------------------------------------------- translations


def translate(message: str) -> Markup:
    """`{% translate "..." %}`: a text the template writes, in the page's language."""
    return Markup(gettext(message))


def translate_plural(singular: str, plural: str, number: int) -> Markup:
    """The plural part of `{% blocktranslate count %}`: put the values in with `fill`."""
    return Markup(ngettext(singular, plural, number))


def fill(message, **values) -> Markup:
    """`{% blocktranslate %}`'s values put into a translated text, each escaped."""
    return Markup(str(message) % {name: conditional_escape(v) for name, v in values.items()})


# ---------------------------------------------------------------- addresses


def url(viewname: str, *args, **kwargs) -> str:
    """`{% url %}` for the few addresses `address()` does not make (more than one value)."""
    return reverse(viewname, args=args, kwargs=kwargs)


@pass_context
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


# ---------------------------------------------------------------- names and titles
#
# In the page's language: the one active when the page was rendered, which the context holds
# (`LANGUAGE_CODE`, or the active one where a template is rendered without it); reading it from
# the context instead of `get_language()` (2 us, an asgiref local) matters on a list of a
# hundred people.


def _language(context) -> str:
    return context.get("LANGUAGE_CODE") or get_language()


@pass_context
def local_name(context, item) -> str:
    """A person's, organisation's or topic's name as readers of the page's language know it."""
    return item.name_in(_language(context)) if item is not None else ""


@pass_context
def local_title(context, appointment) -> str:
    """An appointment's title as readers of the page's language know it."""
    return appointment.title_in(_language(context))


@pass_context
def current_title(context, person) -> str:
    """The title a person holds today, in the page's language."""
    return person.current_title(_language(context))


# ---------------------------------------------------------------- dates and times


def date(value, arg=None) -> str:
    """Django's `date` filter, given the time in Astana time as Django's templates gave it."""
    return defaultfilters.date(template_localtime(value), arg)


def utc_time(moment) -> str:
    """The time of day of an aware datetime in UTC, for readers outside Astana."""
    return moment.astimezone(datetime.UTC).strftime("%H:%M") if moment else ""


# Day and month: English “22 January 2024”; Russian takes the genitive month and “г.” after the
# year, “22 января 2024 г.” (Django's “E” is that genitive form).
DATE_PARTS = {
    "en": {"day_month": "j F", "year": " Y", "month_year": "F Y", "year_suffix": ""},
    "ru": {"day_month": "j E", "year": " Y", "month_year": "F Y", "year_suffix": " г."},
}


def date_format(day, pattern: str) -> str:
    """`django.utils.formats.date_format(day, pattern)` for the letters dates here use (j, F,
    E, Y), byte for byte, from month names read once per language: Django's formatter costs
    twenty microseconds a date, and a list page writes dozens."""
    language = get_language()
    names = _MONTH_NAMES.get(language)
    if names is None:
        names = _MONTH_NAMES[language] = {
            "F": [str(MONTHS[m]) for m in range(1, 13)],
            "E": [str(MONTHS_ALT[m]) for m in range(1, 13)],
        }
    parts = []
    for letter in pattern:
        if letter == "j":
            parts.append(str(day.day))
        elif letter == "Y":
            parts.append(f"{day.year:04d}")
        elif letter in names:
            parts.append(names[letter][day.month - 1])
        elif letter == " ":
            parts.append(letter)
        else:
            return django_date_format(day, pattern)
    return "".join(parts)


_MONTH_NAMES: dict = {}


def date_range(start, end=None, precision="day") -> str:
    """“26–27 October 2023”, “30 October – 2 November 2023”, “August 2024”; in Russian
    “26–27 октября 2023 г.”, “30 октября – 2 ноября 2023 г.”, “август 2024 г.”."""
    if start is None:
        return ""
    parts = DATE_PARTS.get(get_language(), DATE_PARTS["en"])
    suffix = parts["year_suffix"]
    full = parts["day_month"] + parts["year"]
    if precision == "year":
        return f"{start.year}{suffix}"
    if precision == "month":
        text = date_format(start, parts["month_year"])
        return (text.lower() if suffix else text) + suffix
    if not end or end == start:
        return date_format(start, full) + suffix
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, full)}{suffix}"
    if start.year == end.year:
        return f"{date_format(start, parts['day_month'])} – {date_format(end, full)}{suffix}"
    return f"{date_format(start, full)}{suffix} – {date_format(end, full)}{suffix}"


def month_since(day) -> str:
    """The month a period starts, for “from …”: “October 2023”; in Russian the genitive
    that “с” takes, “октября 2023 г.”."""
    if get_language() == "ru":
        return date_format(day, "E Y") + " г."
    return date_format(day, "F Y")


def month_until(day) -> str:
    """The month a period ends, for “to …”: “October 2023”; in Russian “октябрь 2023 г.”
    (“по” takes the accusative, the same as the nominative for a month)."""
    if get_language() == "ru":
        return date_format(day, "F Y").lower() + " г."
    return date_format(day, "F Y")


# ---------------------------------------------------------------- text


def highlight(text, terms):
    """Escape `text` and wrap each search term found in it in <mark>."""
    escaped = conditional_escape(text)
    if not terms:
        return escaped
    pattern = re.compile(
        "|".join(re.escape(str(conditional_escape(t))) for t in terms), re.IGNORECASE
    )
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))  # noqa: S308


def spaceless(markup) -> Markup:
    """`{% filter spaceless %}`: Django's `{% spaceless %}`, no whitespace between tags."""
    return Markup(strip_spaces_between_tags(str(markup).strip()))


@pass_context
def json_ld(context, obj):
    """schema.org data for `obj` (its `json_ld(url)` method), as a JSON-LD data block."""
    url = context["request"].build_absolute_uri(obj.get_absolute_url())
    data = obj.json_ld(url)
    payload = json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False)
    # The data block must not be able to close its own <script> element.
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
