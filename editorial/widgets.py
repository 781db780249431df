"""Dates and times in the workspace: the browser's own picker, one unambiguous form.

`<input type="date">` and `<input type="datetime-local">` send ISO values (2023-04-03,
2023-04-03T09:00:00), whatever the editor's language or the browser's locale shows, so
03/04/2023 can never be read as the wrong day; times are Astana time (the site's zone)."""

from django import forms
from django.db import models


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__({"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


# For a ModelAdmin's `formfield_overrides` (the admin's own split date and time boxes replaced).
DATE_FIELDS = {
    models.DateField: {"widget": DateInput},
    models.DateTimeField: {"form_class": forms.DateTimeField, "widget": DateTimeInput},
}
