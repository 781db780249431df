"""A relation's objects as a plain list, filled by a `Prefetch(..., to_attr=...)`.

Prefetching into a relation's manager makes Django build and filter a QuerySet for every
object (to hold the results); on the people list (100 people, their appointments) that was a
tenth of the page. `Prefetch(relation, queryset, to_attr=NAME)` sets a plain list instead, and
`NAME = PrefetchedList(relation)` on the model reads that list when it was prefetched, and
otherwise queries the relation each time it is read (never kept: a change to the links shows).

It subclasses `cached_property` only because Django's prefetching recognises that type and then
looks for the prefetched value in the instance's `__dict__` rather than reading the attribute
(which would run the query and make Django believe the prefetch already done).
"""

from django.utils.functional import cached_property


class PrefetchedList(cached_property):
    def __init__(self, relation: str):  # noqa: D107 (not cached_property's: no function)
        self.relation = relation
        self.name = None
        self.__doc__ = f"The objects of `{relation}` as a list (prefetched, or one query)."

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        return list(getattr(instance, self.relation).all())
