"""Compiled reads (eximee.compiled) find what the queryset they are declared with finds, compile it
once, refuse values the field refuses, and the locking ones really lock."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError

from bpms.models import ProcessInstance, locking
from eximee.compiled import CompiledRead
from tests.bpms.engine_support import deploy, start


@pytest.fixture
def instances(api_client_for):
    client = api_client_for("deployer", "process-starter")
    deploy(client, "gateways.bpmn")
    return [start(client, "gateways", {"amount": amount, "reviewer": "rita"})["id"] for amount in (10, 20)]


def test_it_finds_what_the_queryset_finds_and_compiles_once(db, instances):
    built = []
    by_id = CompiledRead(lambda pk: built.append(pk) or ProcessInstance.objects.filter(id=pk),
                                      ProcessInstance._meta.pk)
    for instance_id in instances:
        found, expected = by_id.first(instance_id), ProcessInstance.objects.get(id=instance_id)
        # Every column, converted as the ORM converts it (the engine state's JSON included).
        for field in ProcessInstance._meta.concrete_fields:
            assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
        assert isinstance(found.engine_state, dict)
    assert by_id.first("00000000-0000-0000-0000-000000000000") is None
    assert len(built) == 1


def test_a_value_the_field_refuses_is_refused_as_by_the_orm(db):
    with pytest.raises(ValidationError):
        locking.INSTANCE.first("not-a-uuid")


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_outside_a_transaction_is_refused_as_by_the_orm(instances):
    with transaction.atomic():
        locking.INSTANCE.first(instances[0])      # compiled inside one
    with pytest.raises(TransactionManagementError, match="outside of a transaction"):
        locking.INSTANCE.first(instances[0])


def test_a_read_binding_more_than_its_key_is_refused(db, instances):
    read = CompiledRead(lambda pk: ProcessInstance.objects.filter(id=pk, business_key="x"),
                        ProcessInstance._meta.pk)
    with pytest.raises(ValueError, match="binds exactly its values"):
        read.first(instances[0])


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_holds_the_row_until_its_transaction_ends(instances):
    outcome = []

    def try_to_lock():
        try:
            with transaction.atomic():
                ProcessInstance.objects.select_for_update(nowait=True).filter(id=instances[0]).first()
            outcome.append("locked")
        except DatabaseError:
            outcome.append("refused")
        finally:
            connection.close()

    with transaction.atomic():
        assert str(locking.INSTANCE.first(instances[0]).id) == instances[0]
        other = threading.Thread(target=try_to_lock)
        other.start()
        other.join()
    after = threading.Thread(target=try_to_lock)
    after.start()
    after.join()
    assert outcome == ["refused", "locked"]
