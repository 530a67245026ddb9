from eximee import timeline
from eximee.errors import NotFound

from ..models import Case


def cases():
    return Case.objects.select_related("case_type").order_by("-updated", "id")


def case(case_id):
    found = cases().filter(pk=case_id).first()
    if found is None:
        raise NotFound(f"No case {case_id}.")
    return found


def case_history(case):
    """Everything tied to the case, from every app, oldest first."""
    return timeline.for_business_key(case.case_number)
