"""Django template helpers of the editors' workspace (the public site's are Jinja2's:
`core.web.templating`)."""

from django import template
from django.utils.html import format_html

from core.text.dates import astana_and_utc

register = template.Library()


@register.filter
def astana(moment):
    """The editors' one date format: Astana time with UTC beside it, in a <time> element."""
    if not moment:
        return "—"
    return format_html('<time datetime="{}">{}</time>', moment.isoformat(), astana_and_utc(moment))
