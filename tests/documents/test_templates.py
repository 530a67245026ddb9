import pytest

from documents import services
from documents.models import DocumentTemplate
from eximee.errors import Conflict, RuleViolation

from .support import DECISION_BODY, loan_data, pdf_pages, published

pytestmark = pytest.mark.django_db


def test_versions_count_up_per_code():
    first = services.create_template(code="decision", name="Decision", body="<p>1</p>")
    second = services.create_template(code="decision", name="Decision", body="<p>2</p>")
    other = services.create_template(code="letter", name="Letter", body="<p>x</p>")
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.status == second.status == DocumentTemplate.Status.DRAFT


def test_a_published_template_is_immutable():
    template = published(code="decision", body=DECISION_BODY, sample_data=loan_data())
    assert template.status == DocumentTemplate.Status.PUBLISHED and template.published_at
    template.body = "<p>changed</p>"
    with pytest.raises(Conflict, match="published and cannot change"):
        services.save_draft(template, actor="admin")
    with pytest.raises(Conflict, match="already published"):
        services.publish_template(template.pk, actor="admin")
    assert DocumentTemplate.objects.get(pk=template.pk).body == DECISION_BODY


def test_publishing_requires_the_sample_data_to_render():
    template = services.create_template(code="decision", name="Decision", body=DECISION_BODY,
                                        sample_data={"applicant": {"lastName": "Nowak"}})
    with pytest.raises(RuleViolation) as caught:
        services.publish_template(template.pk, actor="admin")
    assert caught.value.errors[0]["pointer"] == "/sampleData"
    assert "'caseNumber' is undefined" in caught.value.errors[0]["detail"]
    assert DocumentTemplate.objects.get(pk=template.pk).status == DocumentTemplate.Status.DRAFT


def test_publishing_checks_syntax_size_and_the_bound_model(loan_model, settings):
    broken = services.create_template(code="broken", name="b", body="<p>{% for x in %}</p>")
    with pytest.raises(RuleViolation) as caught:
        services.publish_template(broken.pk, actor="admin")
    assert "syntax error on line 1" in caught.value.errors[0]["detail"]

    bound = services.create_template(code="bound", name="b", body=DECISION_BODY, data_model_name="loan-application",
                                     sample_data=loan_data(amount=10))
    with pytest.raises(RuleViolation) as caught:
        services.publish_template(bound.pk, actor="admin")
    assert caught.value.errors == [{"pointer": "/sampleData/amount", "detail": "10 is less than the minimum of 1000"}]

    settings.DOCUMENTS_MAX_TEMPLATE_BYTES = 50
    big = services.create_template(code="big", name="b", body="<p>" + "x" * 100 + "</p>")
    with pytest.raises(RuleViolation) as caught:
        services.publish_template(big.pk, actor="admin")
    assert caught.value.errors[0]["detail"] == "the template is larger than 50 bytes"


def test_a_new_version_copies_body_and_assets():
    template = services.create_template(code="logo", name="Logo", body='<img src="a.png">',
                                        assets={"a.png": b"\x89PNG-bytes"})
    copy = services.new_draft_version(template.pk, actor="admin")
    assert (copy.code, copy.version, copy.body) == ("logo", 2, template.body)
    asset = copy.assets.get()
    assert asset.path == "a.png"
    with asset.file.open("rb") as handle:
        assert handle.read() == b"\x89PNG-bytes"


def test_admin_preview_renders_the_sample_data(make_user, client):
    template = services.create_template(code="decision", name="Decision", body=DECISION_BODY,
                                        sample_data=loan_data())
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    response = client.get(f"/admin/documents/documenttemplate/{template.pk}/preview/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Wnioskodawca: Łucja Żółkiewska" in pdf_pages(response.content)[0]


def test_admin_preview_of_a_broken_template_explains_the_error(make_user, client):
    template = services.create_template(code="decision", name="Decision", body="{{ missing }}")
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    response = client.get(f"/admin/documents/documenttemplate/{template.pk}/preview/", follow=True)
    assert "Missing template variable: &#x27;missing&#x27; is undefined" in response.content.decode()


def test_admin_form_rejects_a_template_with_a_syntax_error(make_user, client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    response = client.post("/admin/documents/documenttemplate/add/", {
        "code": "bad", "name": "Bad", "output_format": "pdf", "sample_data": "{}", "body": "{% if %}",
        "stylesheet": "", "data_model_name": "", "data_model_version": "",
        "assets-TOTAL_FORMS": "0", "assets-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert "syntax error on line 1" in response.content.decode()
    assert not DocumentTemplate.objects.filter(code="bad").exists()


def test_admin_publish_action(make_user, client):
    template = services.create_template(code="decision", name="Decision", body=DECISION_BODY,
                                        sample_data=loan_data())
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    client.post("/admin/documents/documenttemplate/", {"action": "publish", "_selected_action": [str(template.pk)]})
    assert DocumentTemplate.objects.get(pk=template.pk).status == DocumentTemplate.Status.PUBLISHED


def test_admin_shows_a_published_template_read_only(make_user, client):
    template = published(code="decision", body=DECISION_BODY, sample_data=loan_data())
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    page = client.get(f"/admin/documents/documenttemplate/{template.pk}/change/").content.decode()
    assert 'name="body"' not in page and "Decyzja kredytowa" in page
    assert client.post(f"/admin/documents/documenttemplate/{template.pk}/delete/", {"post": "yes"}).status_code == 403
    assert DocumentTemplate.objects.filter(pk=template.pk).exists()
