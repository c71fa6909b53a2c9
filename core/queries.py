"""Reads whose SQL is worked out once per process and kept: for a values_list() query a
page runs on every render, where turning the queryset into SQL (its filters, ordering
expressions and joins) costs several times running it.
"""

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

KEPT = 1000  # queries' SQL, a few kilobytes each at most

_kept: dict[Hashable, "_Compiled"] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class _Compiled:
    alias: str
    sql: str
    params: tuple
    compiler: SQLCompiler
    converters: dict


def kept_rows(key: Hashable, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows build() reads, a values_list() queryset (no flat, no named rows), with
    its SQL and parameters kept under key: key holds everything build() depends on (a
    statement's id, the language it is ordered in…), since another call with the same
    key runs the same SQL with the same parameters without calling build()."""
    compiled = _kept.get(key)
    if compiled is None:
        queryset = build()
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        compiled = _Compiled(
            queryset.db, sql, tuple(params), compiler, compiler.get_converters(columns)
        )
        with _lock:
            if len(_kept) >= KEPT:
                _kept.pop(next(iter(_kept)))  # the one kept longest
            _kept[key] = compiled
    with connections[compiled.alias].cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        rows = cursor.fetchall()
    if compiled.converters:
        # The database's values as the queryset gives them (SQLite's dates are text, say).
        return [tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]
    return rows
