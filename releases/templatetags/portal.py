"""Template helpers for the public site."""

import re

from django import template
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from releases.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.simple_tag
def date_range(start, end=None, precision="day"):
    """“26–27 October 2023”, “30 October – 2 November 2023”, “August 2024”."""
    if start is None:
        return ""
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return date_format(start, "F Y")
    if not end or end == start:
        return date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"


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
