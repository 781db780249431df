"""Reads made on every request, compiled to SQL once per process instead of on each request.

Django builds a QuerySet and compiles its SQL anew every time it runs one, and on this portal
that costs more than the database's answer: a release page's ten link queries took 17 of the
20 ms spent fetching it, against 2.7 ms for the same SQL on a bare cursor. A `Statement` holds
a function that returns a QuerySet for some values (`build(ids=[...], slug=...)`). The first
run for a *shape* (each list's length) builds and compiles that QuerySet with stand-in values
of a kind no real query holds, and notes where each one landed among the SQL's parameters;
later runs put the real values in those places, converted as Django converts them, and run the
same SQL. The rows become model instances as Django's own iterator makes them, related rows
from `select_related()` included.

The time that visibility is judged at is such a value: `now()` is what `public()` and the like
compare `publish_at` with, the stand-in while a statement compiles and `timezone.now()` always
else, so the SQL stays the same from one second to the next.

What a query means stays where it is (`public()` and the like): a statement only spares
building the same SQL again. With `STATEMENTS_CHECK` on (the test suite turns it on) each run
also compiles the QuerySet for the real values and raises if its SQL or parameters differ.
"""

import copy
import datetime
import threading
import uuid
import weakref
from collections import OrderedDict
from contextvars import ContextVar
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.models.query import ModelIterable, get_related_populators
from django.utils import timezone

_stand_in_now: ContextVar = ContextVar("stand_in_now", default=None)


def now() -> datetime.datetime:
    """The moment visibility is judged at: `timezone.now()`, or while a statement compiles,
    the stand-in its runs replace with the time they run at."""
    return _stand_in_now.get() or timezone.now()


class StatementError(Exception):
    """A statement's SQL cannot be reused for other values (a stand-in did not reach the
    parameters as itself, or the SQL changed with the values)."""


# Stand-ins: values no query holds as a constant, one per place (a list gets one per item).
# Integers within every integer column's range: Django leaves a comparison with a value out of
# its column's range out of the SQL.
_STAND_INS = {
    int: lambda index: 2_000_000_000 + index,
    str: lambda index: f"\ue000stand-in-{index}\ue000",
    datetime.datetime: lambda index: datetime.datetime(
        1901, 2, 3, 4, 5, 6, index, tzinfo=datetime.UTC
    ),
    datetime.date: lambda index: datetime.date(1901, 2, 3) + datetime.timedelta(days=index),
    uuid.UUID: lambda index: uuid.UUID(int=(0xE000 << 112) + index),
}
# The other forms in which Django may hand a value of a kind to the database (a time as text
# on SQLite, a UUID as its hex digits there), as functions of the value and the backend's ops.
_FORMS = {
    datetime.datetime: (lambda value, ops: ops.adapt_datetimefield_value(value),),
    datetime.date: (lambda value, ops: ops.adapt_datefield_value(value),),
    uuid.UUID: (lambda value, ops: value.hex,),
}


def _stand_in(kind, index: int):
    if kind not in _STAND_INS:
        raise StatementError(f"no stand-in for {kind.__name__} values")
    return _STAND_INS[kind](index)


def _stand_in_now_value():
    return _stand_in(datetime.datetime, 0)


def _kind(value):
    """The kind of a value (a list's: of its items) and whether it is a list."""
    if isinstance(value, list | tuple):
        kinds = {type(item) for item in value}
        if len(kinds) != 1:
            raise StatementError("a list value must hold items of one kind, and at least one")
        return kinds.pop(), True
    if isinstance(value, datetime.datetime):
        return datetime.datetime, False
    return type(value), False


class _Compiled:
    """One shape's SQL, and where each value goes among its parameters."""

    def __init__(self, sql, params, slots, compiler):
        self.sql = sql
        self.params = params
        self.slots = slots  # [(position, name, item index or None, how: None or a function)]
        self.compiler = compiler
        self.readings: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def reading(self, compiler) -> "_Reading":
        """How rows become instances on `compiler`'s connection (each thread has its own):
        worked out once per connection, not on every run (the columns' converters alone were
        a tenth of a millisecond for a page's links)."""
        found = self.readings.get(compiler.connection)
        if found is None:
            found = self.readings[compiler.connection] = _Reading.of(compiler)
        return found

    def params_for(self, values: dict, connection) -> list:
        params = list(self.params)
        for position, name, index, how in self.slots:
            value = values[name] if index is None else values[name][index]
            params[position] = value if how is None else how(value, connection.ops)
        return params


def _places(stand_in, params, positions: dict, ops) -> list:
    """Where `stand_in` went among `params` ({value: [position]} is `positions`), each with
    how to give another value that form: None (as it is), one of its kind's `_FORMS`, or the
    backend's wrapper type put around it (psycopg's Int8, say)."""
    for form in _FORMS.get(type(stand_in), ()):
        handed = form(stand_in, ops)
        if type(handed) is not type(stand_in):
            found = [(p, form) for p in positions.get(handed, ()) if _is(params[p], handed)]
            if found:
                return found
    return [
        (p, None if type(params[p]) is type(stand_in) else _wrapper(type(params[p])))
        for p in positions.get(stand_in, ())
        if _is(params[p], stand_in)
    ]


def _is(param, value) -> bool:
    return isinstance(param, type(value)) and param == value


def _wrapper(kind):
    return lambda value, ops: kind(value)


class Statement:
    """A QuerySet made by `build(**values)`, compiled once per shape and database, then run with
    new values: `Statement(build).run(ids=[...])` gives the list `list(build(ids=[...]))` gives.

    `build` must give the same SQL for all values of one shape, with each value only compared
    with (`=`, `IN`, `<=`...), never transformed (`__contains`) or used to choose what to
    build; it may `select_related()`, not `prefetch_related()`. Values named in `shaping`
    shape the SQL itself (a page's bounds, which Django writes into it): `build` gets them
    as they are, and each combination is a shape of its own."""

    SHAPES = 200  # per statement: shapes seen (list lengths, pages), each compiled once
    KEPT_VALUES = 1000  # a shape with more values than this is compiled each time, not kept

    def __init__(self, build, *, shaping=()):
        self.build = build
        self.shaping = frozenset(shaping)
        self._compiled: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._model = None

    def run(self, **values) -> list:
        return run_together(rows=(self, values))["rows"]

    def __deepcopy__(self, memo):
        # One per process: a copy of what holds it (a filter set's filters, copied for each
        # request) uses the same one, and the SQL it compiled.
        return self

    def sql(self, **values) -> tuple[str, list] | None:
        """The SQL and parameters a run with `values` sends, or None when nothing can match:
        for a query of one's own built around this one (a subquery)."""
        found = self._prepared(values)
        return None if found is None else found[:2]

    def _ready(self, values: dict):
        """The query to send for `values`, or None when nothing can match."""
        found = self._prepared(values)
        if found is None:
            return None
        sql, params, compiled, connection, using = found
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        compiler.using = using
        return _Query(sql, params, compiler, connection, compiled.reading(compiler))

    def _prepared(self, values: dict):
        """(SQL, parameters, the shape's compiled form, connection, alias) for `values`, or
        None when nothing can match."""
        values = {
            name: list(dict.fromkeys(value)) if isinstance(value, list | tuple | set) else value
            for name, value in values.items()
        }
        if not self.shaping <= values.keys():
            raise StatementError(f"give every value that shapes the SQL: {sorted(self.shaping)}")
        if any(isinstance(value, list) and not value for value in values.values()):
            return None  # `IN ()` matches nothing (Django does not even ask)
        values["now"] = timezone.now()
        if self._model is None:
            self._model = self._built(self._stand_ins(values)[0], now=_stand_in_now_value()).model
        using = router.db_for_read(self._model)
        connection = connections[using]
        compiled = self._compiled_for(values, connection, using)
        if compiled.sql is None:
            return None
        params = compiled.params_for(values, connection)
        if getattr(settings, "STATEMENTS_CHECK", False):
            self._check(compiled.sql, params, values, using)
        return compiled.sql, params, compiled, connection, using

    def one(self, **values):
        """The one row `run(**values)` finds, or None (for a lookup by a unique value)."""
        found = self.run(**values)
        if len(found) > 1:
            raise StatementError(f"{len(found)} rows where one was expected")
        return found[0] if found else None

    def _built(self, values: dict, now):
        values = {name: value for name, value in values.items() if name != "now"}
        token = _stand_in_now.set(now)
        try:
            queryset = self.build(**values)
        finally:
            _stand_in_now.reset(token)
        if queryset._prefetch_related_lookups:
            raise StatementError("a statement runs one query: no prefetch_related()")
        return queryset

    def _stand_ins(self, values: dict):
        """Stand-ins for `values` (the same shape), and {name: [(stand-in, item index)]}."""
        stand_ins, places, counter = {}, {}, 1
        for name, value in values.items():
            if name in self.shaping:
                stand_ins[name] = value
                continue
            if name == "now":
                continue
            kind, many = _kind(value)
            items = value if many else [value]
            made = [_stand_in(kind, counter + i) for i in range(len(items))]
            counter += len(items)
            stand_ins[name] = made if many else made[0]
            places[name] = [(m, i if many else None) for i, m in enumerate(made)]
        return stand_ins, places

    def _shape_of(self, name: str, value):
        """What of a value decides the SQL: all of a shaping one, a list's length, else nothing."""
        if name in self.shaping:
            return value
        return len(value) if isinstance(value, list) else None

    def _compiled_for(self, values: dict, connection, using) -> _Compiled:
        shape = (
            using,
            tuple((name, self._shape_of(name, value)) for name, value in sorted(values.items())),
        )
        with self._lock:
            found = self._compiled.get(shape)
            if found is not None:
                self._compiled.move_to_end(shape)
                return found
        found = self._compile(values, connection, using)
        if sum(len(v) for v in values.values() if isinstance(v, list)) > self.KEPT_VALUES:
            return found  # a sitemap page of 50,000 ids: its SQL is not worth keeping
        with self._lock:
            self._compiled[shape] = found
            while len(self._compiled) > self.SHAPES:
                self._compiled.popitem(last=False)
        return found

    def _compile(self, values: dict, connection, using) -> _Compiled:
        stand_ins, places = self._stand_ins(values)
        stand_in_now = _stand_in_now_value()
        places["now"] = [(stand_in_now, None)]
        queryset = self._built(stand_ins, now=stand_in_now)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # this shape matches nothing (a page from 0 to 0): no SQL
            return _Compiled(None, (), [], compiler)
        positions: dict = {}  # each parameter's value: where it stands (a list can be long)
        for position, param in enumerate(params):
            try:
                positions.setdefault(param, []).append(position)
            except TypeError:  # unhashable: not one of ours
                pass
        slots = []
        for name, made in places.items():
            for stand_in, index in made:
                found = _places(stand_in, params, positions, connection.ops)
                if not found and name != "now":
                    raise StatementError(f"the value of {name!r} does not reach the SQL as itself")
                slots.extend((position, name, index, how) for position, how in found)
        return _Compiled(sql, params, slots, compiler)

    def _check(self, sql, params, values, using) -> None:
        queryset = self._built(values, now=values["now"])
        expected = queryset.query.get_compiler(using=using).as_sql()
        if (sql, tuple(params)) != (expected[0], tuple(expected[1])):
            raise StatementError(
                f"a statement's SQL differs from its QuerySet's:\n{sql}\n{params}\n"
                f"{expected[0]}\n{expected[1]}"
            )


def run_together(**runs) -> dict:
    """{name: rows} for each `name=(statement, values)`, the queries sent together: on
    PostgreSQL in one pipeline, a single round trip where one each cost a third of a
    millisecond or more (a page's links are a dozen queries); elsewhere one after another."""
    ready = {name: statement._ready(values) for name, (statement, values) in runs.items()}
    asked = {name: query for name, query in ready.items() if query is not None}
    used = {query.connection for query in asked.values()}
    if len(asked) > 1 and len(used) == 1:
        rows = _pipelined(used.pop(), list(asked.values()))
    else:
        rows = [_fetched(query) for query in asked.values()]
    found = {name: [] for name in runs}
    for (name, query), fetched in zip(asked.items(), rows, strict=True):
        found[name] = list(_instances(query.compiler, fetched, query.reading))
    return found


class _Query(NamedTuple):
    sql: str
    params: list
    compiler: object
    connection: object
    reading: "_Reading"


def _fetched(query: _Query) -> list:
    with query.connection.cursor() as cursor:
        cursor.execute(query.sql, query.params)
        return cursor.fetchall()


def _pipelined(connection, queries: list[_Query]) -> list:
    """Each query's rows, all sent before the first is read (psycopg's pipeline mode)."""
    if connection.vendor != "postgresql" or not _pipelines_work():
        return [_fetched(query) for query in queries]
    connection.ensure_connection()
    cursors = []
    try:
        with connection.connection.pipeline():
            for query in queries:
                cursor = connection.cursor()
                cursors.append(cursor)
                cursor.execute(query.sql, query.params)
            return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


def _pipelines_work() -> bool:
    import psycopg

    return psycopg.Pipeline.is_supported()


class _Reading(NamedTuple):
    """What Django's ModelIterable works out for a query before it makes the first instance:
    the model's columns among the row's, their converters, the related rows' populators."""

    model: type
    init_list: list
    start: int
    end: int
    converters: dict
    composite: bool
    related: list
    annotations: dict

    @classmethod
    def of(cls, compiler) -> "_Reading":
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        columns = [s[0] for s in select[0 : compiler.col_count]]
        return cls(
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[start:end]],
            start=start,
            end=end,
            converters=compiler.get_converters(columns),
            composite=compiler.has_composite_fields(columns),
            related=get_related_populators(klass_info, select, compiler.using),
            annotations=compiler.annotation_col_map,
        )


def _instances(compiler, rows, reading: _Reading):
    """Model instances from `rows`, made as Django's ModelIterable makes them (its
    `results_iter()`, with the converters worked out once)."""
    if reading.composite:
        rows = compiler.results_iter(results=[rows])
    elif reading.converters:
        rows = compiler.apply_converters(rows, reading.converters)
    model, init_list, start, end = reading.model, reading.init_list, reading.start, reading.end
    related, annotations, using = reading.related, reading.annotations, compiler.using
    for row in rows:
        obj = model.from_db(using, init_list, row[start:end])
        for populator in related:
            populator.populate(row, obj)
        if annotations:
            for name, position in annotations.items():
                setattr(obj, name, row[position])
        yield obj


def attach(items, name: str, rows, *, by: str, back: str | None = None, key: str = "pk") -> None:
    """Give each of `items` the list of `rows` whose `by` is its `key` (its primary key), as
    `name` (what `Prefetch(..., to_attr=name)` gives); `back` names the rows' own link to the
    item, set to it (what Django's prefetching of a reverse relation sets)."""
    found: dict = {}
    for row in rows:
        found.setdefault(getattr(row, by), []).append(row)
    for item in items:
        mine = found.get(getattr(item, key), [])
        if back:
            for row in mine:
                setattr(row, back, item)
        setattr(item, name, mine)


class Load(NamedTuple):
    """A relation to load for `items`: `statement` run with `values`, its rows given to them
    as `name` by `attach()` (`by`, `back`, `key`); with `one`, the row whose primary key is the
    item's `name`_id, set as `name` (a foreign key: a lead picture).

    `items` may be a function giving them, called once the loads before it in the same
    `load_together()` are given: the titles of the people a page's releases mention are read
    with the mentions (by the releases' ids), and given to the people the mentions bring."""

    items: list
    name: str
    statement: Statement
    values: dict
    by: str = "pk"
    back: str | None = None
    one: bool = False
    key: str = "pk"


def load_together(*loads: Load) -> None:
    """Run every load's statement together (`run_together()`: one round trip on PostgreSQL)
    and give the items their rows, in the order of the loads."""
    found = run_together(**{str(n): (load.statement, load.values) for n, load in enumerate(loads)})
    for n, load in enumerate(loads):
        rows = found[str(n)]
        items = load.items() if callable(load.items) else load.items
        if load.one:
            by_pk = {row.pk: row for row in rows}
            for item in items:
                row = by_pk.get(getattr(item, f"{load.name}_id"))
                if row is not None:
                    setattr(item, load.name, row)
        else:
            attach(items, load.name, rows, by=load.by, back=load.back, key=load.key)


class LoadingQuerySet(models.QuerySet):
    """A QuerySet that hands its rows, once fetched, to loaders (`loading(load)`): functions
    that give them their links with statements, where `prefetch_related()` would rebuild and
    compile its queries on every request. Rows read with `iterator()` get no links: a model's
    `PrefetchedList` reads them when asked."""

    _loaders: tuple = ()

    def loading(self, *loaders):
        clone = self._chain()
        clone._loaders = (*self._loaders, *loaders)
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._loaders = self._loaders
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._iterable_class is ModelIterable:
            give_links(self, self._result_cache)


def give_links(queryset, rows) -> None:
    """Give `rows`, read for `queryset` (by it or by a statement), the links its loaders load."""
    for load in getattr(queryset, "_loaders", ()):
        if rows:
            load(rows)


class StatementList:
    """What a paginator pages through, a page at a time with a statement: `statement` is
    built with `start` and `stop` among its values (`shaping`), slicing its QuerySet
    `[start:stop]`; `whole` makes the QuerySet of the whole list, to count it (a paginator
    asks once; the list views share the count until content changes)."""

    def __init__(self, statement: Statement, whole, *, load=None, **values):
        """`load`: a function giving a page's rows their links (`LoadingQuerySet.loading()`)."""
        self.statement, self.whole, self.load, self.values = statement, whole, load, values

    def count(self) -> int:
        return self.whole().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, bounds: slice) -> list:
        if not isinstance(bounds, slice) or bounds.step is not None:
            raise TypeError("a StatementList is read a page (a slice) at a time")
        rows = self.statement.run(start=bounds.start, stop=bounds.stop, **self.values)
        if rows and self.load:
            self.load(rows)
        return rows
