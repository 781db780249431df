"""Merging duplicate records (two spellings of one person, one organisation entered twice):
every link to the duplicate moves to the record kept, then the duplicate goes. Nothing that
named either is lost, and the history of the kept record says what was merged into it."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from .models import Merge


def merge(duplicate, kept, *, user=None) -> int:
    """Move every link of `duplicate` to `kept` and delete `duplicate`; the links moved."""
    if type(duplicate) is not type(kept) or duplicate.pk == kept.pk:
        raise ValueError("Merge two different records of the same kind.")
    moved = 0
    with transaction.atomic():
        for relation in duplicate._meta.related_objects:
            moved += _move(relation, duplicate, kept)
        if hasattr(kept, "absorb"):
            kept.absorb(duplicate)
        kept._change_reason = f"merged “{duplicate}” (#{duplicate.pk}) into it"
        kept._history_user = user
        kept.save()
        Merge.objects.create(
            content_type=ContentType.objects.get_for_model(kept),
            duplicate_id=duplicate.pk,
            kept_id=kept.pk,
            duplicate_name=str(duplicate)[:300],
            user=user if user is not None and user.is_authenticated else None,
        )
        type(duplicate).objects.filter(pk=duplicate.pk).delete()
    return moved


def kept_id(model, pk):
    """The record `pk` of `model` is now: itself, or the record it was merged into (merges
    followed in turn: a record merged into one merged later)."""
    content_type = ContentType.objects.get_for_model(model)
    seen = set()
    while pk not in seen:
        seen.add(pk)
        found = Merge.objects.filter(content_type=content_type, duplicate_id=pk).first()
        if found is None:
            return pk
        pk = found.kept_id
    return pk


def _move(relation, duplicate, kept) -> int:
    """Re-point the rows of one reverse relation; a link `kept` already has is dropped."""
    if relation.many_to_many:
        through = relation.through
        if not through._meta.auto_created:
            return 0  # a through model of its own: moved through its foreign key
        field = relation.field.m2m_reverse_field_name()
        rows = through.objects.filter(**{field: duplicate})
    elif relation.one_to_many or relation.one_to_one:
        field = relation.field.name
        rows = relation.related_model._base_manager.filter(**{field: duplicate})
    else:
        return 0
    moved = 0
    for row in rows:
        try:
            with transaction.atomic():
                type(row)._base_manager.filter(pk=row.pk).update(**{field: kept})
            moved += 1
        except IntegrityError:
            type(row)._base_manager.filter(pk=row.pk).delete()  # `kept` has that link already
    return moved
