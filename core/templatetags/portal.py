"""Template helpers for the public site."""

import datetime
import json
import re

from django import template
from django.template.base import token_kwargs
from django.utils.dates import MONTHS, MONTHS_ALT
from django.utils.formats import date_format as django_date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.dates import astana_and_utc
from core.links import page_url
from core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def utc_time(moment):
    """The time of day of an aware datetime in UTC, for readers outside Astana."""
    return moment.astimezone(datetime.UTC).strftime("%H:%M") if moment else ""


@register.filter
def astana(moment):
    """The editors' one date format: Astana time with UTC beside it, in a <time> element."""
    if not moment:
        return "—"
    return format_html('<time datetime="{}">{}</time>', moment.isoformat(), astana_and_utc(moment))


@register.filter
def local_name(item):
    """A person's, organisation's or topic's name as readers of the page's language know it."""
    return item.name_in(get_language()) if item is not None else ""


@register.filter
def local_title(appointment):
    """An appointment's title as readers of the page's language know it."""
    return appointment.title_in(get_language())


@register.filter
def current_title(person):
    """The title a person holds today, in the page's language."""
    return person.current_title(get_language())


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


@register.simple_tag
def date_range(start, end=None, precision="day"):
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


@register.filter
def month_since(day):
    """The month a period starts, for “from …”: “October 2023”; in Russian the genitive
    that “с” takes, “октября 2023 г.”."""
    if get_language() == "ru":
        return date_format(day, "E Y") + " г."
    return date_format(day, "F Y")


@register.filter
def month_until(day):
    """The month a period ends, for “to …”: “October 2023”; in Russian “октябрь 2023 г.”
    (“по” takes the accusative, the same as the nominative for a month)."""
    if get_language() == "ru":
        return date_format(day, "F Y").lower() + " г."
    return date_format(day, "F Y")


@register.tag
def address(parser, token):
    """`{% address "releases:list" %}`, `{% address "contacts:vcard" pk=contact.pk %}`: what
    `{% url %}` gives, from `core.links.page_url` (a pattern reversed once per name and
    language rather than on every render; `{% url %}` cost forty microseconds, a dozen times
    a page). The name is written in the template; at most one value."""
    bits = token.split_contents()
    if len(bits) not in (2, 3) or bits[1][0] not in "'\"":
        raise template.TemplateSyntaxError(
            '{% address "name" %} or {% address "name" key=value %}: a quoted name, one value'
        )
    return AddressNode(bits[1][1:-1], token_kwargs(bits[2:], parser))


class AddressNode(template.Node):
    def __init__(self, viewname: str, kwargs: dict):
        self.viewname, self.kwargs = viewname, kwargs

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        url = page_url(self.viewname, **values)
        return conditional_escape(url) if context.autoescape else url


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def highlight(text, terms):
    """Escape `text` and wrap each search term found in it in <mark>."""
    escaped = conditional_escape(text)
    if not terms:
        return escaped
    pattern = re.compile(
        "|".join(re.escape(str(conditional_escape(t))) for t in terms), re.IGNORECASE
    )
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))  # noqa: S308


@register.simple_tag(takes_context=True)
def json_ld(context, obj):
    """schema.org data for `obj` (its `json_ld(url)` method), as a JSON-LD data block."""
    url = context["request"].build_absolute_uri(obj.get_absolute_url())
    data = obj.json_ld(url)
    payload = json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False)
    # The data block must not be able to close its own <script> element.
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
