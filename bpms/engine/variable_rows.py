"""An instance's variable rows brought from what they held to what the engine holds now, with the
change history (VariableChange) and timeline events of each change: one writer for every engine
implementation, so /v1 variable history reads the same whichever engine runs."""

from bpms.models import ProcessVariable, VariableChange


def write(instance, before, after, *, actor, now, event):
    """before, after: {name: (type, stored value)}. `event(kind, summary, data)` records a timeline
    event of the operation. Returns the ProcessVariable rows created."""
    created, written, changes = [], [], []

    def change(name, kind, type_, old, new):
        changes.append(VariableChange(process_instance=instance, name=name, change=kind, type=type_,
                                      old_value=old, new_value=new, actor=actor, changed_at=now))

    for name, (kind, value) in after.items():
        if name not in before:
            created.append(ProcessVariable(process_instance=instance, name=name, type=kind, value=value))
            change(name, VariableChange.CREATED, kind, None, value)
        elif before[name] != (kind, value):
            written.append(ProcessVariable(process_instance=instance, name=name, type=kind, value=value))
            change(name, VariableChange.UPDATED, kind, before[name][1], value)
    deleted = [name for name in before if name not in after]
    for name in deleted:
        change(name, VariableChange.DELETED, before[name][0], before[name][1], None)
    if written:
        # Changed rows are replaced in the same statement that inserts the new ones.
        ProcessVariable.objects.bulk_create(created + written, update_conflicts=True,
                                            unique_fields=["process_instance", "name"],
                                            update_fields=["type", "value"])
    else:
        ProcessVariable.objects.bulk_create(created)
    if deleted:
        ProcessVariable.objects.filter(process_instance=instance, name__in=deleted).delete()
    VariableChange.objects.bulk_create(changes)
    for row in changes:
        event(f"variable.{row.change}", f"variable {row.name} {row.change}", {"name": row.name, "type": row.type})
    return created
