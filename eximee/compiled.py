"""Hot reads whose SQL Django compiles once per process instead of on every call.

Every engine operation starts with the same short locking reads (the instance row, then the row of
the task, job or subscription it acts on). Django compiles a queryset's SQL each time it runs, and
for such a read the compiling is about two thirds of its Python: 0.77 ms against 0.31 ms for the
same statement run as a raw query (slow 2-core machine, docs/performance.md). A CompiledRead is
declared with an ordinary queryset, so the SQL is still Django's; only the compiling happens once.
"""

from django.db import connection


class CompiledRead:
    """`build(value)` returns the queryset of one exact lookup on `key` (a model field); `first(value)`
    runs it as `.first()` would, with the SQL compiled on the first call and reused after."""

    def __init__(self, build, key):
        self._build, self._key, self._compiled = build, key, None

    def first(self, value):
        # As the ORM does: an unreadable value raises the field's ValidationError, not a database error.
        value = self._key.get_db_prep_value(self._key.to_python(value), connection)
        if self._compiled is None:
            queryset = self._build(value)
            queryset = (queryset if queryset.ordered else queryset.order_by("pk"))[:1]
            sql, params = queryset.query.sql_with_params()
            if list(params) != [value]:
                raise ValueError(f"a compiled read takes exactly one parameter, its key; this one binds {params!r}")
            self._compiled = (queryset.model, sql)
        model, sql = self._compiled
        return next(iter(model.objects.raw(sql, [value])), None)
