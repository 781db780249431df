"""The workspace's form fields: dates, times and texts as editors type them.

Dates and times are the browser's own pickers (core/widgets.py). Texts keep one kind of line ending: a browser
sends CRLF, the importer and the API LF, and a save that changes nothing must change nothing."""

from django import forms
from django.db import models

from core.widgets import DateInput, DateTimeInput


class PlainTextField(forms.CharField):
    """Text with LF line endings, however the browser sent it: an unchanged text is unchanged
    (no revision, no "you both changed Body" conflict, no invisible difference to compare)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


# For a ModelAdmin's `formfield_overrides`: the admin's split date and time boxes replaced,
# texts with one kind of line ending.
WORKSPACE_FIELDS = {
    models.DateField: {"widget": DateInput},
    models.DateTimeField: {"form_class": forms.DateTimeField, "widget": DateTimeInput},
    models.TextField: {"form_class": PlainTextField},
}
