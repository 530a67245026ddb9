"""The overview: small SVG charts, each bar linking to the filtered list it counts."""

from django.urls import reverse

from eximee import roles
from eximee.dashboard import bar_chart, column_chart

from .factories import make_instance


def test_bars_scale_to_the_largest_value_and_keep_their_links():
    chart = bar_chart([("a", 10, "/a"), ("b", 5, "/b"), ("c", 0, "/c")])

    a, b, c = chart["bars"]
    assert a.width == 2 * b.width
    assert c.width == 0
    assert [bar.url for bar in chart["bars"]] == ["/a", "/b", "/c"]


def test_columns_stand_on_a_common_baseline():
    chart = column_chart([("1", 4, "/1"), ("2", 2, "/2")], height=80)

    first, second = chart["columns"]
    assert first.height == 80 and first.y == 0
    assert second.height == 40 and second.y == 40
    assert chart["total"] == 6


def test_operators_see_instances_by_process_and_state_linking_to_the_filtered_list(dashboard_client_for):
    make_instance("loan-approval", state="active")
    make_instance("loan-approval", state="active")
    make_instance("loan-approval", state="completed")

    page = dashboard_client_for(roles.OPERATOR).get(reverse("dashboard:overview")).content.decode()

    assert "loan-approval · active" in page
    assert f'{reverse("dashboard:instance-list")}?process=loan-approval&amp;state=active' in page
    assert "<svg" in page
