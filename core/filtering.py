"""The API's filter backend (kept apart from the viewsets: DRF's settings import it early)."""

import django_filters
from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions

from .caching import memoized
from .statements import Statement


def attrs_html(attrs: dict) -> str:
    """What Django's `attrs.html` writes: ` name="value"`, a bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(
                f'="{conditional_escape(value if isinstance(value, SafeData) else str(value))}"'
            )
    return "".join(parts)


class OnePassInputMixin:
    """Django's `<input>`, byte for byte, written in one pass rather than through two templates
    (a filter form's fields are written on every filtered list)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        value_html = "" if shown is None else f' value="{conditional_escape(str(shown))}"'
        return mark_safe(  # noqa: S308 (every part escaped above)
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{value_html}{attrs_html(widget["attrs"])}>'
        )


class FastTextInput(OnePassInputMixin, forms.TextInput):
    pass


class FastNumberInput(OnePassInputMixin, forms.NumberInput):
    pass


class FastSelect(forms.Select):
    """Django's `<select>`, byte for byte, written in one pass instead of one template per
    option: a filter listing every public person or organisation renders hundreds of options
    on each request, and the per-option templates were most of a list page's time. (No
    option groups: model choices have none.)"""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return mark_safe(  # noqa: S308 (every part escaped)
            f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>'
            f"{widget['options_html']}\n</select>"
        )

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        memo = getattr(getattr(self.choices, "field", None), "options_memo", None)
        if memo is None:
            context["widget"]["options_html"] = self._options(chosen)
            return context
        # The same options for every request (content and language decide them): written
        # once, then the chosen ones marked, exactly as _options() would have.
        html = memoized(("select-options", memo, get_language()), lambda: self._options(set()))
        for v in chosen:
            value_attr = f'<option value="{conditional_escape(v)}"'
            html = html.replace(f"{value_attr}>", f"{value_attr} selected>", 1)
        context["widget"]["options_html"] = mark_safe(html)  # noqa: S308 (made by _options)
        return context

    def _options(self, chosen):
        # What Django's option template writes, each value and label escaped, in one f-string
        # rather than a format_html() per option: two hundred people took 1 ms, now 0.45.
        parts = []
        for v, label in self.choices:
            value = str(v)
            parts.append(
                f'\n  <option value="{conditional_escape(value)}"'
                f"{' selected' if value in chosen else ''}>{conditional_escape(label)}</option>"
            )
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped)


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The options from one plain query: Django reads them through `QuerySet.iterator()`,
    which on PostgreSQL opens a server-side cursor (three round trips instead of one) for a
    list of a few hundred rows. The queryset is the field's, asked for only when needed."""

    def __init__(self, field):
        self.field = field

    @property
    def queryset(self):
        return self.field.queryset

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        statement = getattr(field, "options_statement", None)
        for obj in self.queryset.all() if statement is None else statement.run():
            yield self.choice(obj)


class SlugChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice whose queryset may be given as a function making it, called only when
    a value is to be checked or the options listed: a public() queryset costs milliseconds to
    build, and a list page builds four filters whose options come from the memo
    (`FastSelect`) and which most requests leave empty."""

    iterator = ListedChoiceIterator

    def _get_queryset(self):
        if self._queryset is None and self._make_queryset is not None:
            self._queryset = self._make_queryset()
        return self._queryset

    def _set_queryset(self, queryset):
        if callable(queryset):
            self._make_queryset, self._queryset = queryset, None
        else:
            self._make_queryset = None
            self._queryset = None if queryset is None else queryset.all()
        self.widget.choices = self.choices

    queryset = property(_get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        if self._make_queryset is not None:
            result.queryset = self._make_queryset
        elif self._queryset is not None:
            result.queryset = self._queryset.all()
        return result


@extend_schema_field({"type": "string", "pattern": r"^[-a-zA-Z0-9_]*$"})
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter naming an item by its slug (`to_field_name="slug"`)."""

    field_class = SlugChoiceField

    def __init__(self, *args, options_memo: str | None = None, **kwargs):
        """`options_memo`: a name for this filter's options when they are the same for every
        request (they depend on content and language only): the `<select>` is then written
        once per content change (`core.caching.memoized`), not on every request, and its
        options are read by a statement (`core.statements`) from the queryset the filter is
        given as a function of the request, made without one: building and compiling the
        public() querysets of topics, people and organisations anew was 5 ms of the release
        list's first request after each change."""
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)
        self.options_memo = options_memo
        records = kwargs.get("queryset")
        self.options_statement = (
            Statement(lambda: records(None)) if options_memo and callable(records) else None
        )

    def get_queryset(self, request):
        """A function making the queryset (see SlugChoiceField), not the queryset."""
        return lambda: super(SlugChoiceFilter, self).get_queryset(request)

    @property
    def field(self):
        field = super().field
        field.options_memo = self.options_memo
        field.options_statement = self.options_statement
        return field


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
