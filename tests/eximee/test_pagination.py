import pytest
from django.contrib.auth.models import Group

pytestmark = [pytest.mark.urls("tests.eximee.urls"), pytest.mark.django_db]


def test_list_shape_and_page_size(api_client_for):
    client = api_client_for("case-reader")
    Group.objects.bulk_create(Group(name=f"g{i:02}") for i in range(7))
    body = client.get("/v1/groups/?pageSize=3&page=2").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == Group.objects.count()
    expected = list(Group.objects.order_by("name", "id").values_list("name", flat=True))[3:6]
    assert [g["name"] for g in body["results"]] == expected
    assert "page=3" in body["next"] and "pageSize=3" in body["next"]


def test_page_out_of_range_is_404_problem(api_client_for):
    response = api_client_for("case-reader").get("/v1/groups/?page=99")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
