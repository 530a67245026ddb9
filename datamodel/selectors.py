"""Reads of data models and business data."""

from django.db.models import Q

from eximee.errors import NotFound

from .models import DataModel, DataModelVersion, DataRecord


def business_data_for(*, business_key=None, process_instance_id=None):
    """The current business data of a case (by business key) or of a process instance without one."""
    if business_key:
        record = DataRecord.objects.filter(business_key=business_key).only("data").first()
    elif process_instance_id is not None:
        record = DataRecord.objects.filter(process_instance_id=process_instance_id).only("data").first()
    else:
        return None
    return record.data if record else None


def business_data_for_instances(instances):
    """{process_instance_id: data} for [(process_instance_id, business_key)], in one query; instances
    without a record are left out."""
    instances = list(instances)
    keys = {key for _, key in instances if key}
    ids = {pid for pid, key in instances if not key}
    if not keys and not ids:
        return {}
    rows = DataRecord.objects.filter(Q(business_key__in=keys) | Q(process_instance_id__in=ids)).values_list(
        "business_key", "process_instance_id", "data")
    by_key = {key: data for key, _, data in rows if key}
    by_id = {str(pid): data for key, pid, data in rows if not key}
    found = {}
    for pid, key in instances:
        data = by_key.get(key) if key else by_id.get(str(pid))
        if data is not None:
            found[pid] = data
    return found


def data_models():
    return DataModel.objects.prefetch_related("versions").order_by("name")


def data_model(name):
    model = data_models().filter(name=name).first()
    if model is None:
        raise NotFound(f"No data model '{name}'.")
    return model


def model_version(name, version):
    found = DataModelVersion.objects.select_related("model").filter(model__name=name, version=version).first()
    if found is None:
        raise NotFound(f"Data model '{name}' has no version {version}.")
    return found


def records(name):
    return DataRecord.objects.select_related("model", "model_version").filter(model__name=name).order_by(
        "created", "id")


def record(name, record_id):
    found = records(name).filter(pk=record_id).first()
    if found is None:
        raise NotFound(f"No record {record_id} of data model '{name}'.")
    return found


def revisions(record):
    return record.revisions.select_related("model_version").order_by("revision")
