import pytest

from datamodel.models import DataModel, DataModelVersion

from .support import DECISION_BODY, LOAN_SCHEMA, PAGE_NUMBERS_CSS, SCHEDULE_BODY, loan_data, published


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings, monkeypatch):
    """Files of each test in its own directory, for this process and for any worker it starts."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setenv("MEDIA_ROOT", settings.MEDIA_ROOT)
    return tmp_path / "media"


@pytest.fixture
def loan_model(db):
    model = DataModel.objects.create(name="loan-application", title="Loan application")
    DataModelVersion.objects.create(model=model, version=1, schema=LOAN_SCHEMA, published=True)
    return model


@pytest.fixture
def decision_template(db):
    return published(code="decision", body=DECISION_BODY, sample_data=loan_data())


@pytest.fixture
def schedule_template(db):
    return published(code="schedule", body=SCHEDULE_BODY, stylesheet=PAGE_NUMBERS_CSS,
                     sample_data={"applicant": {"lastName": "X"}, "installments": []})
