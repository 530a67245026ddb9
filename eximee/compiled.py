"""Hot reads and writes whose SQL Django compiles once per process instead of on every call.

Every engine operation starts with the same short reads: the instance row, then the row of the
task, job or subscription it acts on, locked, and a correlation first looks up who waits for the
message. Django compiles a queryset's SQL each time it runs, and for such a read the compiling is
most of its Python: a locking read of an instance costs 0.8-0.9 ms through the ORM and 0.2-0.3 ms
compiled once (slow 2-core machine, docs/performance.md). A CompiledRead is declared with an
ordinary queryset, so the SQL, the columns and their converters are still Django's; only the
compiling happens once. Every operation ends by writing its instance row back: a CompiledUpdate
builds that UPDATE once from the fields' columns and placeholders, as Django's update compiler
writes it, and sends the rows of a batch of operations in one round trip.
"""

from django.db import connection
from django.db.transaction import TransactionManagementError


class CompiledRead:
    """`build(*values)` returns a queryset whose only parameters are `values`, each compared with one
    of `keys` (the model fields they are read as, in the same order). `first(*values)` and
    `all(*values)` return what `.first()` and `list()` of it would."""

    def __init__(self, build, *keys):
        self._build, self._keys, self._compiled = build, keys, {}

    def first(self, *values):
        rows = self._run("first", values)
        return rows[0] if rows else None

    def all(self, *values):
        return self._run("all", values)

    def _run(self, mode, values):
        # As the ORM does: an unreadable value raises the field's ValidationError, not a database error.
        values = [key.get_db_prep_value(key.to_python(value), connection) for key, value in zip(self._keys, values)]
        compiled = self._compiled.get(mode)
        if compiled is None:
            queryset = self._build(*values)
            if mode == "first":
                queryset = (queryset if queryset.ordered else queryset.order_by("pk"))[:1]
            if len({repr(value) for value in values}) < len(values):
                # Equal values cannot tell which placeholder is whose: compile another time.
                return list(queryset)
            compiled = self._compiled[mode] = _compile(queryset, values)
        model, sql, query, attnames, converters = compiled
        if query.select_for_update and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        if converters:
            # A compiler of this thread's connection (connections are per thread): building one
            # compiles nothing.
            rows = query.get_compiler(connection.alias).apply_converters(rows, converters)
        return [model.from_db(connection.alias, attnames, row) for row in rows]


def _compile(queryset, values):
    compiler = queryset.query.get_compiler(connection.alias)
    sql, params = compiler.as_sql()
    if list(params) != values:
        raise ValueError(f"a compiled read binds exactly its values, in order; this one binds {params!r}")
    columns = [column for column, _, _ in compiler.select]
    if any(getattr(column, "target", None) is None or column.target.model is not queryset.model
           for column in columns):
        raise ValueError("a compiled read selects the columns of its own model only")
    return (queryset.model, sql, queryset.query, [column.target.attname for column in columns],
            compiler.get_converters(columns))


class CompiledUpdate:
    """`run(rows)` writes `fields` of each model instance in `rows` to its row, as
    `Model.objects.filter(pk=row.pk).update(...)` would (no save() signals, no auto_now), with one
    statement built once and sent for all rows in one round trip (executemany)."""

    def __init__(self, model, *fields):
        self._model, self._names, self._sql = model, fields, None

    def run(self, rows):
        if not rows:
            return
        fields, pk = [self._model._meta.get_field(name) for name in self._names], self._model._meta.pk
        if self._sql is None:
            self._sql = _update_sql(self._model, fields)
        params = [[field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
                  + [pk.get_db_prep_value(row.pk, connection)] for row in rows]
        with connection.cursor() as cursor:
            if len(params) == 1:   # one operation's row: no pipeline to set up
                cursor.execute(self._sql, params[0])
            else:
                cursor.executemany(self._sql, params)


def _update_sql(model, fields):
    quote = connection.ops.quote_name
    # A placeholder is the field's own (an array's carries its type) as the update compiler writes it.
    assignments = ", ".join(
        f"{quote(field.column)} = "
        f"{field.get_placeholder(None, None, connection) if hasattr(field, 'get_placeholder') else '%s'}"
        for field in fields)
    return f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
