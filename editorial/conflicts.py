"""A save refused because someone else saved first: what each of us changed, field by field.

The form the editor sent was made from version N; the stored item is at version M > N. For each
field of the form:
- only they changed it: their value is put into the form (what the editor sees and will save);
- only I changed it: mine stays;
- both changed it differently: a conflict, shown side by side, and the editor must choose
  “keep theirs” or “use mine” before the next save, which applies exactly those choices.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

THEIRS, MINE = "theirs", "mine"
SKIPPED = {"version"}


@dataclass
class Conflict:
    name: str
    label: str
    theirs: str  # as the editor reads it
    mine: str
    choice: str = ""  # the editor's choice so far (THEIRS or MINE)
    error: str = ""

    @property
    def choice_name(self) -> str:
        return resolution_field(self.name)


def resolution_field(name: str) -> str:
    return f"resolve__{name}"


def resolution_choice(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[(THEIRS, _("Keep theirs")), (MINE, _("Use mine"))],
        widget=forms.RadioSelect,
        label=_("%(field)s: which version?") % {"field": label},
        error_messages={"required": _("Choose which “%(field)s” to keep.") % {"field": label}},
    )


def merge(form, cleaned: dict, stored, base) -> list[Conflict]:
    """Bring their changes into the bound `form` (its `data`, for the next save) and return
    the fields both sides changed. `base` is the historical record the editor started from
    (None when unknown: then every field where we differ is a conflict)."""
    model = type(stored)
    base_links = _record_links(base) if base is not None else {}
    conflicts = []
    for name, field in form.fields.items():
        if name in SKIPPED or not _is_model_field(model, name):
            continue
        theirs = _stored_value(stored, name)
        mine = _form_value(model, name, cleaned.get(name))
        if base is not None:
            started = _record_value(base, base_links, name)
            if theirs == started:
                continue  # they did not touch it: mine stands
            if mine == started:
                _put(form, name, field, stored)  # only they did: theirs, shown and kept
                continue
        if mine != theirs:
            conflicts.append(
                Conflict(
                    name=name,
                    label=str(field.label or name).capitalize(),
                    theirs=readable(stored, name),
                    mine=_readable_value(cleaned.get(name)),
                )
            )
    return conflicts


def resolved_value(stored, name: str):
    """What “keep theirs” puts into the cleaned data for `name`."""
    field = stored._meta.get_field(name)
    if field.many_to_many:
        return getattr(stored, name).all()
    return getattr(stored, name)


# ---------------------------------------------------------------- one value, three sources


def _is_model_field(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a form-only field (change note, small fix...)
        return False
    return field.concrete or field.many_to_many


def _normalise(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(microsecond=0)
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def _pks(items) -> tuple[str, ...]:
    return tuple(sorted(str(getattr(i, "pk", i)) for i in items))


def _stored_value(stored, name: str):
    field = stored._meta.get_field(name)
    if field.many_to_many:
        return _pks(getattr(stored, name).all())
    return _normalise(getattr(stored, field.attname))


def _form_value(model, name: str, value):
    if model._meta.get_field(name).many_to_many:
        return _pks(value or ())
    return _normalise(value)


def _record_links(record) -> dict:
    from .revisions import historical_links

    return historical_links(record)


def _record_value(record, links: dict, name: str):
    field = record.instance_type._meta.get_field(name)
    if field.many_to_many:
        return _pks(links.get(name, ()))
    return _normalise(getattr(record, field.attname, None))


def readable(stored, name: str) -> str:
    field = stored._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(i) for i in getattr(stored, name).all()) or "—"
    if field.choices:
        return str(getattr(stored, f"get_{name}_display")()) or "—"
    return _readable_value(getattr(stored, name))


def _readable_value(value) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        from core.text.dates import astana_and_utc

        return astana_and_utc(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return ", ".join(str(i) for i in value) or "—"
    return str(value)


def _put(form, name: str, field, stored) -> None:
    """Write the stored value of `name` into the form's data as the browser would send it."""
    model_field = stored._meta.get_field(name)
    value = getattr(stored, name)
    data = form.data
    if model_field.many_to_many:
        data.setlist(name, [str(pk) for pk in value.values_list("pk", flat=True)])
    elif isinstance(field, forms.SplitDateTimeField):
        local = timezone.localtime(value) if value else None
        data[f"{name}_0"] = local.date().isoformat() if local else ""
        data[f"{name}_1"] = local.strftime("%H:%M:%S") if local else ""
    elif isinstance(field, forms.BooleanField):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    else:
        data[name] = _normalise(getattr(stored, model_field.attname))
