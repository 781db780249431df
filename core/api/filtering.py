"""The API's filter backend (kept apart from the viewsets: DRF's settings import it early)."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions


@extend_schema_field({"type": "string", "pattern": r"^[-a-zA-Z0-9_]*$"})
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter naming an item by its slug (`to_field_name="slug"`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, but an empty value for a typed filter (a date, a number, a choice) is a
    400 like any other value it cannot read, as the schema says, rather than no filter."""

    typed = (
        django_filters.DateFilter,
        django_filters.IsoDateTimeFilter,
        django_filters.NumberFilter,
        django_filters.ChoiceFilter,
        django_filters.BooleanFilter,
    )

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and request.query_params.keys().isdisjoint(
            filterset_class.base_filters
        ):
            # No filter asked for: the same answer without building the filter form (each
            # choice filter builds its public() queryset; a few ms on every plain list).
            return queryset
        if filterset_class is not None:
            empty = [
                name
                for name, declared in filterset_class.base_filters.items()
                if isinstance(declared, self.typed)
                and not isinstance(declared, django_filters.ModelChoiceFilter)  # a slug: any text
                and request.query_params.get(name) == ""
            ]
            if empty:
                raise exceptions.ValidationError(
                    {name: ["Give a value, or leave the parameter out."] for name in empty}
                )
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise self._error(filterset)
        return filterset.qs

    @staticmethod
    def _error(filterset):
        """400 naming what cannot be read; 404 when all that is wrong is a slug naming nothing
        public (a topic, person, organisation or event that is not there)."""
        errors = filterset.form.errors.as_data()
        messages = {name: [m for e in errs for m in e.messages] for name, errs in errors.items()}
        unknown = all(
            isinstance(filterset.filters.get(name), django_filters.ModelChoiceFilter)
            and all(e.code == "invalid_choice" for e in errs)
            for name, errs in errors.items()
        )
        if unknown:
            error = exceptions.NotFound("No such item to filter by: see errors.")
            error.detail_errors = messages
            return error
        return exceptions.ValidationError(messages)
