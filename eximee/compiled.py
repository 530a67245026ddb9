"""Hot reads whose SQL Django compiles once per process instead of on every call.

Every engine operation starts with the same short locking reads (the instance row, then the row of
the task, job or subscription it acts on). Django compiles a queryset's SQL each time it runs, and
for such a read the compiling is most of its Python: through the ORM one costs 0.8-0.9 ms, compiled
once 0.2-0.3 ms (slow 2-core machine, docs/performance.md). A CompiledRead is declared with an
ordinary queryset, so the SQL, the columns and their converters are still Django's; only the
compiling happens once.
"""

from django.db import connection
from django.db.transaction import TransactionManagementError


class CompiledRead:
    """`build(value)` returns the queryset of one exact lookup on `key` (a model field); `first(value)`
    returns what `.first()` on it would, with everything but running it done on the first call."""

    def __init__(self, build, key):
        self._build, self._key, self._compiled = build, key, None

    def first(self, value):
        # As the ORM does: an unreadable value raises the field's ValidationError, not a database error.
        value = self._key.get_db_prep_value(self._key.to_python(value), connection)
        if self._compiled is None:
            self._compiled = self._compile(value)
        model, sql, locking, compiler, attnames, converters = self._compiled
        if locking and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        with connection.cursor() as cursor:
            cursor.execute(sql, [value])
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            row = next(compiler.apply_converters([row], converters))
        return model.from_db(connection.alias, attnames, row)

    def _compile(self, value):
        queryset = self._build(value)
        queryset = (queryset if queryset.ordered else queryset.order_by("pk"))[:1]
        compiler = queryset.query.get_compiler(connection.alias)
        sql, params = compiler.as_sql()
        if list(params) != [value]:
            raise ValueError(f"a compiled read takes exactly one parameter, its key; this one binds {params!r}")
        columns = [column for column, _, _ in compiler.select]
        if any(getattr(column, "target", None) is None or column.target.model is not queryset.model
               for column in columns):
            raise ValueError("a compiled read selects the columns of its own model only")
        return (queryset.model, sql, bool(queryset.query.select_for_update), compiler,
                [column.target.attname for column in columns], compiler.get_converters(columns))
