"""A deployed DMN decision evaluated on its own, outside any process: how a CRM or a scoring front
end asks what the bank's rules say (Camunda's `POST /decision-definition/key/{key}/evaluate`)."""

from bpms.engine import get_engine


def evaluate(*, key, version=None, variables):
    """The result list: one {output name: value} per matched rule."""
    return get_engine().evaluate_decision(key=key, version=version, variables=variables)
