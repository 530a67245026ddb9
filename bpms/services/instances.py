"""Starting and steering process instances. Business data is kept apart from process variables:
it is the instance's (or its case's) data record in the datamodel app."""

from django.db import transaction

from bpms.engine import get_engine
from bpms.models import ProcessDefinition, ProcessInstance
from eximee.errors import InvalidRequest, NotFound


def _definition(key, version):
    definitions = ProcessDefinition.objects.filter(key=key).defer("engine_spec", "bpmn_xml")
    found = definitions.filter(version=version).first() if version is not None else definitions.order_by("-version").first()
    if found is None:
        wanted = f" version {version}" if version is not None else ""
        raise NotFound(f"Process definition '{key}'{wanted} is not deployed.",
                       errors=[{"pointer": "/processDefinitionKey", "detail": "not deployed"}])
    return found


def business_data_writer(definition, business_data, actor, pointer_prefix="/businessData"):
    if business_data is None:
        return None
    if not isinstance(business_data, dict):
        raise InvalidRequest("businessData must be a JSON object.",
                             errors=[{"pointer": pointer_prefix, "detail": "must be an object"}])

    def write(instance):
        from datamodel.services import write_business_data
        return write_business_data(data=business_data, actor=actor, business_key=instance.business_key,
                                   process_instance_id=instance.id, model_name=definition.data_model or None,
                                   pointer_prefix=pointer_prefix).data
    return write


def start_process_instance(*, process_definition_key, version=None, business_key=None, variables=None,
                           business_data=None, start_activity_id=None, actor=""):
    """The new instance, with what its view shows attached where the start knows it without a read
    (bpms.selectors.instances.with_details: the engine's rows as written, the business data here)."""
    definition = _definition(process_definition_key, version)
    write, written = business_data_writer(definition, business_data, actor), []
    with transaction.atomic():
        result = get_engine().start_instance(
            definition_id=definition.id, business_key=business_key, variables=variables or {},
            start_activity_id=start_activity_id, actor=actor,
            before_run=write and (lambda instance: written.append(write(instance))))
        instance = result.instance or ProcessInstance.objects.for_reading().get(id=result.id)
    if written:
        instance.business_data = written[0]
    elif not business_key:
        instance.business_data = None   # no record can name an instance that did not exist before
    return instance


def cancel(instance_id, *, reason, actor):
    return get_engine().cancel_instance(instance_id, reason=reason, actor=actor)


def suspend(instance_id, *, actor):
    return get_engine().suspend_instance(instance_id, actor=actor)


def activate(instance_id, *, actor):
    from .external_tasks import resume

    with transaction.atomic():
        result = get_engine().activate_instance(instance_id, actor=actor)
        resume(result.id)
    return result


def modify_variables(instance_id, *, modifications, deletions, actor):
    return get_engine().modify_variables(instance_id, modifications=modifications, deletions=deletions, actor=actor)
