"""Writes of business data: validated against the data model, stored as a new revision."""

from django.db import IntegrityError, transaction
from jsonschema import Draft202012Validator

from eximee import timeline
from eximee.errors import InvalidRequest, RuleViolation, json_pointer

from .models import DataModelVersion, DataRecord, DataRecordRevision


def nul_pointer(value, pointer=""):
    """The JSON pointer of the first NUL character in a JSON value's keys or strings, else None:
    PostgreSQL stores no NUL in text or jsonb, so such data must be refused as bad input."""
    stack = [(value, pointer)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, str) and "\x00" in node:
            return at
        if isinstance(node, dict):
            for key, child in node.items():
                if "\x00" in str(key):
                    return at
                stack.append((child, at + json_pointer([key])))
        elif isinstance(node, list):
            stack.extend((child, f"{at}/{index}") for index, child in enumerate(node))
    return None


def schema_version(model_name, version=None, *, pointer=""):
    """The given version of a model, or its latest published one; a rule violation if there is none,
    because the caller (a process, a template) refers to a model that cannot validate anything."""
    versions = DataModelVersion.objects.select_related("model").filter(model__name=model_name)
    found = versions.filter(version=version).first() if version is not None else (
        versions.filter(published=True).order_by("-version").first())
    if found is None:
        wanted = f"version {version}" if version is not None else "a published version"
        raise RuleViolation(f"Data model '{model_name}' has no {wanted}.",
                            errors=[{"pointer": pointer, "detail": f"unknown data model '{model_name}'"}])
    return found


def schema_errors(schema, data, pointer_prefix=""):
    """Every violation, in document order, as [{"pointer", "detail"}]."""
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)),
                                                                                 e.message))
    return [{"pointer": pointer_prefix + json_pointer(error.absolute_path), "detail": error.message}
            for error in errors]


def _check(model_version, data, pointer_prefix):
    errors = schema_errors(model_version.schema, data, pointer_prefix)
    if errors:
        raise RuleViolation(
            f"The data does not match data model '{model_version.model.name}' version {model_version.version}.",
            errors=errors)


def validate_data(model_name, version, data, pointer_prefix=""):
    """Raises RuleViolation listing every schema violation with its JSON pointer."""
    _check(schema_version(model_name, version, pointer=pointer_prefix), data, pointer_prefix)


def _locked_record(business_key, process_instance_id):
    key = {"business_key": business_key} if business_key else {"process_instance_id": process_instance_id}
    record = DataRecord.objects.select_for_update().filter(**key).first()
    if record is None:
        try:
            with transaction.atomic():
                DataRecord.objects.create(**key)
        except IntegrityError:
            pass  # a concurrent writer created it first; lock theirs
        record = DataRecord.objects.select_for_update().get(**key)
    return record


def write_business_data(*, data, actor, business_key=None, process_instance_id=None, model_name=None,
                        pointer_prefix="/businessData", idempotency_key=None):
    """Shallow-merges `data` into the latest revision of the record of the case (business_key) or,
    without one, of the process instance; validates the whole result against the latest published
    version of `model_name` (None: the record's model, or none for free-form data) and stores it
    as a new revision. A write that changes nothing stores no revision. Call it inside the
    caller's transaction; invalid data raises RuleViolation and stores nothing."""
    if not isinstance(data, dict):
        raise InvalidRequest("Business data must be a JSON object.",
                             errors=[{"pointer": pointer_prefix, "detail": "must be an object"}])
    bad = nul_pointer(data, pointer_prefix)
    if bad is not None:
        raise InvalidRequest("Business data must not contain NUL characters.",
                             errors=[{"pointer": bad, "detail": "contains a NUL character"}])
    if not business_key and process_instance_id is None:
        raise InvalidRequest("Business data needs a business key or a process instance.")
    with transaction.atomic():
        record = _locked_record(business_key, process_instance_id)
        if idempotency_key and DataRecordRevision.objects.filter(idempotency_key=idempotency_key).exists():
            return record
        name = model_name or (record.model.name if record.model_id else None)
        model_version = schema_version(name, pointer=pointer_prefix) if name else None
        merged = {**record.data, **data}
        if model_version is not None:
            _check(model_version, merged, pointer_prefix)
        changed = sorted(key for key in data if key not in record.data or record.data[key] != data[key])
        if not changed and model_version == record.model_version and record.revision:
            return record
        record.model = model_version.model if model_version else record.model
        record.model_version = model_version
        record.data = merged
        record.revision += 1
        record.save()
        DataRecordRevision.objects.create(
            record=record, revision=record.revision, model_version=model_version, data=merged,
            changed_fields=changed, actor=actor or "", process_instance_id=process_instance_id,
            idempotency_key=idempotency_key)
        timeline.record(
            "businessdata.updated",
            f"Business data revision {record.revision}: {', '.join(changed) or 'data model changed'}",
            business_key=business_key, process_instance_id=process_instance_id, actor=actor,
            data={"recordId": str(record.id), "revision": record.revision, "changedFields": changed,
                  "dataModel": model_version.model.name if model_version else None,
                  "dataModelVersion": model_version.version if model_version else None})
        return record
