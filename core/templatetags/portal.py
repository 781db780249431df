"""Django template helpers of the editors' workspace (the public site's are Jinja2's:
`core.templating`)."""

from django import template

from core import templating

register = template.Library()

register.filter("astana", templating.astana)
