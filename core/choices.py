"""Choice labels (`get_kind_display()` and the like) read from a table made once per field.

Django builds `dict(make_hashable(field.flatchoices))` on every `get_FOO_display()` call,
hashing each lazily translated label: a list page showing each item's kind spent a fifth of
its item markup there. The labels stay lazy, so each call still gives the active language's.
"""

from django.utils.encoding import force_str

_LABELS: dict = {}


class ChoiceLabelsMixin:
    def _get_FIELD_display(self, field):  # noqa: N802 (the name Django's get_FOO_display calls)
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value: no label can match it
            label = value
        return force_str(label, strings_only=True)
