import pytest

from eximee.celery import ping


@pytest.mark.django_db(transaction=True)
def test_task_round_trip_through_redis_and_a_real_worker(celery_worker):
    result = ping.delay({"hello": "worker"})
    assert result.get(timeout=20) == {"hello": "worker"}
