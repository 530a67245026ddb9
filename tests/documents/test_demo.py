import pytest

from documents import demo, rendering
from documents.models import DocumentTemplate

from .support import pdf_pages

pytestmark = pytest.mark.django_db


def test_demo_template_is_bound_to_the_loan_application_model_when_it_exists(loan_model):
    demo.load()
    template = DocumentTemplate.objects.get(code="loan-decision")
    assert (template.status, template.data_model_name) == ("published", "loan-application")
    text = pdf_pages(rendering.render(template, demo.SAMPLE).content)[0]
    assert "Małgorzata Wiśniewska-Żak" in text and "50 000.00 zł" in text and "Strona 1 z 1" in text
    assert demo.load() == ["template loan-decision already published"]


def test_demo_template_without_the_model_is_published_unbound():
    demo.load()
    template = DocumentTemplate.objects.get(code="loan-decision")
    assert (template.status, template.data_model_name) == ("published", "")
