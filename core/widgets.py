"""The browser's own date and time pickers for admin forms.

`<input type="date">` and `<input type="datetime-local">` send ISO values (2023-04-03,
2023-04-03T09:00:00), whatever the user's language or the browser's locale shows, so 03/04/2023
can never be read as the wrong day; times are Astana time (the site's zone). Each is one input
with its own label, where the admin's split date and time boxes have none."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__({"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")
