"""Querysets of a fixed shape, built and compiled to SQL once per process.

An article's first view runs a handful of queries whose SQL never changes, only
their values (the article's id, its publication time, the clock). The ORM builds
and compiles each one afresh every time: for the article page that was most of
its render's CPU (docs/benchmarks.md, issue 24), far more than PostgreSQL spent
answering. A `PreparedQuery` builds the queryset once with marker values, keeps
the compiled SQL and the compiler's description of the columns, and then only
puts each call's values in place of the markers (the columns' converters from
database values are looked up once too): the rows come back as model
instances, with their select_related objects and prefetch_related lookups,
exactly as the queryset would have given them.

The markers are checked when the SQL is made: each must come out as a parameter
(never inlined into the SQL text), or the query is refused at once.

Its values are bound on the server, not spelled into the SQL as the site's other
queries are (Django's default), and the statement is prepared: PostgreSQL plans
it once per connection (psycopg keeps up to `prepared_max`, 100, per connection)
instead of on every call.
Planning was most of the database's share of a first view (the article's row,
with its tags, topics and notes, took 2.0 ms to plan and 0.7 ms to run).

PostgreSQL plans a prepared statement for its values five times, then keeps one
generic plan if that is estimated to cost no more. A value that is the same on
every call (an edition, a status, a limit) is a parameter too as the ORM writes
the query, and a generic plan cannot use what it says: a partial index for
published articles is of no use for `status = $5`. With `constants="inline"` the
values that are not the caller's are written into the SQL as literals (by
psycopg, as it would send them), so only the call's own values are parameters.

A queryset that reads common table expressions the ORM cannot write (a search's
candidates, articles/search.py) is built as `Preceded(with_sql, params, queryset)`:
the WITH clause goes before the queryset's SELECT, its values are parameters and
markers as the queryset's are, and the rows are still the queryset's.

A statement the ORM cannot write at all (unnest() WITH ORDINALITY) is written by
hand and run by `fetch_prepared()`, the same way: bound on the server, prepared,
its rows as tuples (no model instances at all). `written_condition()` gives it a
queryset's WHERE clause (`published()`), so what readers may see is still defined
once.
"""

import copy
import datetime
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from itertools import count
from typing import NamedTuple

from django.db import connections, router
from django.db.backends.postgresql.base import (
    TIMESTAMPTZ_OID,
    CursorDebugWrapper,
    ServerBindingCursor,
)
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet
from psycopg import sql as psycopg_sql
from psycopg.pq import Format
from psycopg.raw_cursor import RawCursorMixin

_MARKER_YEAR = 1001  # no row is published in the eleventh century
# Django's SQL: a parameter is %s, a percent sign of the text %%.
_PLACEHOLDER = re.compile(r"%[s%]")


def _marker(kind, number: int):
    if kind is int:
        return -2_000_000_000 - number
    if kind is datetime.datetime:
        return datetime.datetime(_MARKER_YEAR, 1, 1, 0, 0, 0, number, tzinfo=datetime.UTC)
    if kind is str:
        return f"\u2063prepared-{number}\u2063"
    raise TypeError(f"No marker for {kind!r}: int, str or datetime")


class _PreparingCursor(RawCursorMixin, ServerBindingCursor):
    """Prepares what it runs: the same text every call, planned once per connection.

    It is sent with numbered placeholders ($1, $2...), numbered here once per text
    (`_numbered`). psycopg numbers Django's %s itself, on every call for a
    statement over 4 KB (it caches only shorter ones: long statements are mostly an
    ORM's INSERTs of ever other lengths); a search page's is 5.6 KB.
    """

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(_numbered(query), params, prepare=True, binary=binary)


@lru_cache(maxsize=1024)  # the site's prepared texts are a few dozen
def _numbered(query: str) -> str:
    """Return Django's SQL (%s placeholders, %% for a percent sign) with $1, $2..."""
    numbers = count(1)
    return _PLACEHOLDER.sub(
        lambda match: "%" if match.group() == "%%" else f"${next(numbers)}", query
    )


class _LoggedPreparingCursor(CursorDebugWrapper):
    """Logs each statement with its values written in, as Django logs its other queries
    (it reads them back from the text a client-binding cursor sent)."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


class _BoundOnTheServer:
    """A database connection whose cursors send the values apart from the SQL text."""

    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def cursor(self):
        # As Django's own cursor(), with a server-binding cursor that prepares.
        connection = self._connection
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        with connection.wrap_database_errors:
            cursor = _PreparingCursor(connection.connection)
            loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
            if connection.timezone != loader.timezone:
                register_tzloader(connection.timezone, cursor)
        connection.validate_thread_sharing()
        if connection.queries_logged:
            return _LoggedPreparingCursor(cursor, connection)
        return connection.make_cursor(cursor)


class Preceded(NamedTuple):
    """A queryset whose SELECT follows a WITH clause: `with_sql` begins "WITH" and
    names the expressions the queryset's raw SQL reads, `params` are its values."""

    with_sql: str
    params: tuple
    queryset: QuerySet


class PreparedQuery:
    """A queryset built by `build(**markers)`, run with other values for the markers.

    `kinds` names each parameter of `build` and its type (int, str, datetime), or
    (type, n) for a list of n values (a `pk__in`). Calling it with those names
    returns the list the queryset would have returned. `constants="inline"`
    writes every other value into the SQL (see the module's docstring). `build`
    may return a `Preceded` queryset: its WITH clause is sent before the SELECT.
    """

    def __init__(self, build: Callable[..., QuerySet], *, constants: str = "bound", **kinds):
        if constants not in ("bound", "inline"):
            raise ValueError(f"constants: 'bound' or 'inline', not {constants!r}")
        self.build = build
        self.inline = constants == "inline"
        self.kinds = kinds
        # database alias -> (queryset, compiler, sql, params, slots, converters)
        self._templates = {}

    def __call__(self, **values) -> list:
        queryset = self._template_queryset(values)
        return list(queryset)

    def _template_queryset(self, values) -> QuerySet:
        model = self._model()
        alias = router.db_for_read(model)
        template = self._templates.get(alias)
        if template is None:
            template = self._templates[alias] = self._prepare(alias)
        queryset, compiler, sql, params, slots, converters = template
        params = list(params)
        for index, name, item in slots:
            value = values[name]
            params[index] = value if item is None else value[item]
        prepared = copy.copy(compiler)
        prepared.connection = _BoundOnTheServer(connections[alias])
        prepared.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        prepared.get_converters = lambda expressions: converters  # the same columns every time
        chained = queryset._chain()
        chained.query.get_compiler = lambda *args, **kwargs: prepared
        return chained

    def _model(self):
        model = getattr(self, "_model_class", None)
        if model is None:
            model = self._model_class = self._prepare_markers()[0].queryset.model
        return model

    def _prepare_markers(self):
        numbers = count(1)
        markers, lookup = {}, {}
        for name, kind in self.kinds.items():
            if isinstance(kind, tuple):
                kind, size = kind
                markers[name] = [_marker(kind, next(numbers)) for _ in range(size)]
                for item, marker in enumerate(markers[name]):
                    lookup[marker] = (name, item)
            else:
                markers[name] = _marker(kind, next(numbers))
                lookup[markers[name]] = (name, None)
        built = self.build(**markers)
        if not isinstance(built, Preceded):
            built = Preceded("", (), built)
        return built, lookup

    def _prepare(self, alias):
        (with_sql, with_params, queryset), lookup = self._prepare_markers()
        queryset = queryset.using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if with_sql:
            if not with_sql.lstrip().upper().startswith("WITH"):
                raise ValueError("A Preceded queryset's SQL must begin with WITH")
            sql, params = f"{with_sql} {sql}", (*with_params, *params)
        slots, found = [], set()
        for index, param in enumerate(params):
            try:
                where = lookup.get(param)
            except TypeError:  # an unhashable parameter (a list): never a marker
                where = None
            if where is not None:
                slots.append((index, *where))
                found.add(where)
        missing = set(lookup.values()) - found
        if missing or any(str(marker) in sql for marker in lookup):
            raise ValueError(f"Parameters not passed to the database as such: {sorted(missing)}")
        if self.inline:
            sql, params, slots = _inlined(sql, params, slots, connections[alias])
        columns = [column[0] for column in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(columns)
        return queryset, compiler, sql, tuple(params), slots, converters


def _inlined(sql: str, params: tuple, slots: list, connection) -> tuple[str, tuple, list]:
    """Return the SQL with every parameter but the slots' written in as a literal,
    the parameters left (the slots' markers) and the slots renumbered."""
    connection.ensure_connection()
    raw = connection.connection
    slotted = {slot[0]: slot for slot in slots}
    numbers = count()
    kept, renumbered = [], []

    def written(match) -> str:
        if match.group() == "%%":
            return "%%"
        index = next(numbers)
        if index in slotted:
            renumbered.append((len(kept), *slotted[index][1:]))
            kept.append(params[index])
            return "%s"
        # As psycopg would send the value; a percent sign in it must not read as a placeholder.
        return psycopg_sql.Literal(params[index]).as_string(raw).replace("%", "%%")

    sql = _PLACEHOLDER.sub(written, sql)
    if next(numbers) != len(params):
        raise ValueError("The SQL's placeholders are not its parameters")
    return sql, tuple(kept), renumbered


def written_condition(build: Callable[..., QuerySet], **kinds) -> str:
    """Return the WHERE clause of `build(**markers)` as SQL for a handwritten statement.

    Each marker comes out as `%(name)s` (a value of `fetch_prepared()`'s call),
    every other value written in as a literal, as `constants="inline"` does. The
    columns are qualified by the queryset's table: the statement must read it under
    its own name. A marker the ORM does not pass as given is refused.
    """
    numbers = count(1)
    markers = {name: _marker(kind, next(numbers)) for name, kind in kinds.items()}
    names = {marker: name for name, marker in markers.items()}
    queryset = build(**markers)
    alias = router.db_for_read(queryset.model)
    connection = connections[alias]
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.compile(queryset.query.where)
    connection.ensure_connection()
    found, values = set(), iter(params)

    def written(match) -> str:
        if match.group() == "%%":
            return "%%"
        value = next(values)
        name = names.get(value) if isinstance(value, (int, str, datetime.datetime)) else None
        if name is not None:
            found.add(name)
            return f"%({name})s"
        return psycopg_sql.Literal(value).as_string(connection.connection).replace("%", "%%")

    sql = _PLACEHOLDER.sub(written, sql)
    missing = set(kinds) - found
    if missing or any(str(marker) in sql for marker in markers.values()):
        raise ValueError(f"Parameters not passed to the database as such: {sorted(missing)}")
    return sql


def fetch_prepared(sql: str, values: Mapping, *, using: str) -> list[tuple]:
    """Return the rows of handwritten `sql`, its `%(name)s` values bound on the server.

    The statement is prepared as a `PreparedQuery`'s is: planned once per
    connection. Keep its text the same on every call (values only as `%(name)s`).
    """
    text, names = _positional(sql)
    with _BoundOnTheServer(connections[using]).cursor() as cursor:
        cursor.execute(text, [values[name] for name in names])
        return cursor.fetchall()


_NAMED = re.compile(r"%\((\w+)\)s|%%")


@lru_cache(maxsize=64)
def _positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """Return `sql` with each %(name)s as Django's %s, and the names in their order
    (the cursor numbers them, `_numbered`; a name used twice is passed twice)."""
    names = []

    def positional(match) -> str:
        if match.group() == "%%":
            return "%%"
        names.append(match.group(1))
        return "%s"

    return _NAMED.sub(positional, sql), tuple(names)
