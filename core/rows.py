"""Model instances made from database rows without `Model.__init__`'s work per field.

Django makes each row's instance by calling the model with one value per field: `__init__`
sends `pre_init` and `post_init`, and sets each field through `setattr()`, a foreign key's
through its descriptor. For a row read from the database that comes to what setting the
instance's `__dict__` in one step gives, and costs three times as much: 5 us a person, 15 us a
release, and an API page of twenty releases makes two hundred instances for their people,
organisations, topics, events and contacts.

`QuickFromDbMixin.from_db` makes the same instance in one step where that is certain to be the
same: the model's `__init__` and `__setattr__` are Django's own, every field's attribute is one
whose setting on a new instance is storing the value (Django's plain, foreign-key and file
descriptors), and no receiver listens to `pre_init` or `post_init` for the model (an
`ImageField` with dimension fields listens: its model is made Django's way). Anywhere else, and
for values that are not a row's (a `DEFERRED` among them, more values than fields), Django's
`from_db` makes it. Tests compare the instances both ways for every model that uses it.
"""

from django.db import models
from django.db.models import signals
from django.db.models.base import DEFERRED, ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

# Descriptors whose setting, on an instance that has no value yet, only stores the value.
_STORING = (DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor)

_plans: dict[type, tuple | None] = {}  # model: its fields' attribute names, or None
_named: dict[tuple, list] = {}  # (model, the fields a row holds): their attribute names in order


def _plan(model) -> tuple | None:
    """The model's concrete fields' attribute names when its instances may be made in one step
    (see the module's docstring), else None."""
    found = _plans.get(model, False)
    if found is not False:
        return found
    own_init = [k for k in model.__mro__ if "__init__" in vars(k)]
    attnames = tuple(field.attname for field in model._meta.concrete_fields)
    storing = all(type(_descriptor(model, name)) in _STORING for name in attnames)
    quick = (
        own_init == [models.Model, object]
        and model.__setattr__ is object.__setattr__
        and storing
        and not model._meta.abstract
    )
    _plans[model] = found = attnames if quick else None
    return found


def _descriptor(model, name):
    for klass in model.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    return None


class QuickFromDbMixin:
    """Makes a model's instances from rows in one step where that gives what Django's
    `from_db` gives (see the module's docstring). Mixed in before `models.Model`."""

    @classmethod
    def from_db(cls, db, field_names, values):
        attnames = _plan(cls)
        if (
            attnames is None
            or len(values) > len(attnames)
            or signals.pre_init.has_listeners(cls)
            or signals.post_init.has_listeners(cls)
            or DEFERRED in values
        ):
            return super().from_db(db, field_names, values)
        new = cls.__new__(cls)
        state = new._state = ModelState()
        state.adding = False
        state.db = db
        if len(values) == len(attnames):
            new.__dict__.update(zip(attnames, values, strict=True))
        else:  # some fields deferred: the values are those of the fields named, in field order
            new.__dict__.update(zip(_in_order(cls, attnames, field_names), values, strict=True))
        return new


def _in_order(model, attnames: tuple, field_names) -> list:
    """The attribute names among `field_names`, in the order of the model's fields (the order
    Django's `from_db` gives the values to them)."""
    key = (model, tuple(field_names))
    found = _named.get(key)
    if found is None:
        named = set(field_names)
        found = [name for name in attnames if name in named]
        if len(_named) < 1000:  # the ways of deferring fields the code asks for: a few
            _named[key] = found
    return found
