"""Django's PostgreSQL backend, with bulk writes split to fit server-side binding.

With `DB_PREPARED_STATEMENTS` on (the default; docs/performance.md) parameters travel apart from
the SQL and a statement run again on a connection is prepared once: PostgreSQL then neither
parses nor plans the short statements a request is made of, which halves its CPU per request.
The protocol carries at most 65,535 parameters per statement, and Django sizes bulk writes
without a limit on PostgreSQL, so a bulk insert of 10,000 rows would fail: the batch size here
keeps every bulk statement under the cap.
"""

from django.db.backends.postgresql import base, operations

MAX_PARAMETERS = 65_535


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        if not self.connection.features.uses_server_side_binding:
            return super().bulk_batch_size(fields, objs)
        # bulk_update passes ["pk", "pk", *fields] but binds two parameters per field and object
        # (CASE WHEN pk = %s THEN %s) plus the pk list: twice the fields is a safe bound for it and
        # for bulk_create's one parameter per field.
        return max(MAX_PARAMETERS // (2 * max(len(fields), 1)), 1)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
