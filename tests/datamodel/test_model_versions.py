import pytest
from django.core.exceptions import ValidationError

from datamodel.models import DataModelVersion


def test_a_published_version_is_immutable(loan_model):
    version = loan_model.versions.get(version=1)
    version.schema = {"type": "object"}
    with pytest.raises(ValidationError, match="immutable"):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert loan_model.versions.get(version=1).schema != {"type": "object"}


def test_a_draft_may_change_until_published(loan_model):
    draft = DataModelVersion.objects.create(model=loan_model, version=2, schema={"type": "object"})
    draft.schema = {"type": "object", "properties": {"x": {"type": "string"}}}
    draft.published = True
    draft.save()
    assert loan_model.versions.get(version=2).published


def test_an_invalid_schema_is_refused(loan_model):
    version = DataModelVersion(model=loan_model, version=3, schema={"type": "no-such-type"})
    with pytest.raises(ValidationError, match="JSON Schema"):
        version.full_clean()
