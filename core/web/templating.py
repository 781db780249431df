"""The public site's Jinja2 environment (TEMPLATES' `environment` option).

Jinja2 through Django's own backend (`django.template.backends.jinja2.Jinja2`), with Jinja2's
i18n extension: `{{ _("Search") }}`, `{{ _("Page %(number)s", number=n) }}` and
`{{ ngettext("%(num)s release", "%(num)s releases", n) }}` are Django's translations (the
values put in are escaped; `make messages` finds them with Babel's Jinja2 extractor). Beside
Jinja2's own filters: Django's `date`, `truncatewords` and `filesizeformat`, and the portal's
names, titles and dates in the page's language.

The editors' workspace and the mails keep Django's template language.
"""

import datetime
import json
import re

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html, strip_spaces_between_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import ChainableUndefined, Environment, pass_context
from markupsafe import Markup

from core.text.markdown import render_markdown


def environment(**options) -> Environment:
    # A missing value, or any attribute of one, writes nothing (the error pages render without
    # a request; a page's optional parts are simply absent).
    options["undefined"] = ChainableUndefined
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(
        static=static,
        url=reverse,
        query_with=query_with,
        date_range=date_range,
        json_ld=json_ld,
    )
    env.filters.update(
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
    )
    return env


@pass_context
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


# ---------------------------------------------------------------- names and titles


def local_name(item) -> str:
    """A person's, organisation's or topic's name as readers of the page's language know it."""
    return item.name_in(get_language()) if item is not None else ""


def local_title(appointment) -> str:
    """An appointment's title as readers of the page's language know it."""
    return appointment.title_in(get_language())


def current_title(person) -> str:
    """The title a person holds today, in the page's language."""
    return person.current_title(get_language())


# ---------------------------------------------------------------- dates and times


def date(value, arg=None) -> str:
    """Django's `date` filter, a time shown in Astana time."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return defaultfilters.date(value, arg)


def utc_time(moment) -> str:
    """The time of day of an aware datetime in UTC, for readers outside Astana."""
    return moment.astimezone(datetime.UTC).strftime("%H:%M") if moment else ""


# Day and month: English “22 January 2024”; Russian takes the genitive month and “г.” after the
# year, “22 января 2024 г.” (Django's “E” is that genitive form).
DATE_PARTS = {
    "en": {"day_month": "j F", "year": " Y", "month_year": "F Y", "year_suffix": ""},
    "ru": {"day_month": "j E", "year": " Y", "month_year": "F Y", "year_suffix": " г."},
}


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
        text = formats.date_format(start, parts["month_year"])
        return (text.lower() if suffix else text) + suffix
    if not end or end == start:
        return formats.date_format(start, full) + suffix
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{formats.date_format(end, full)}{suffix}"
    if start.year == end.year:
        first = formats.date_format(start, parts["day_month"])
        return f"{first} – {formats.date_format(end, full)}{suffix}"
    return f"{formats.date_format(start, full)}{suffix} – {formats.date_format(end, full)}{suffix}"


def month_since(day) -> str:
    """The month a period starts, for “from …”: “October 2023”; in Russian the genitive
    that “с” takes, “октября 2023 г.”."""
    if get_language() == "ru":
        return formats.date_format(day, "E Y") + " г."
    return formats.date_format(day, "F Y")


def month_until(day) -> str:
    """The month a period ends, for “to …”: “October 2023”; in Russian “октябрь 2023 г.”
    (“по” takes the accusative, the same as the nominative for a month)."""
    if get_language() == "ru":
        return formats.date_format(day, "F Y").lower() + " г."
    return formats.date_format(day, "F Y")


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
    """No whitespace between tags (the sitemap)."""
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
