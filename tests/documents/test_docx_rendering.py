import pytest

from documents import rendering, services

from .support import POLISH, docx_text, word_template

pytestmark = pytest.mark.django_db


def word_draft(*paragraphs):
    return services.create_template(code="letter", name="Letter", output_format="docx",
                                    docx_content=word_template(*paragraphs))


def test_data_and_polish_characters_appear_in_the_word_file():
    template = word_draft("Szanowna Pani {{ applicant.lastName }},", "{% for c in collaterals %}",
                          "Zabezpieczenie: {{ c }}", "{% endfor %}", "Kwota: {{ amount }} PLN")
    rendered = rendering.render(template, {"applicant": {"lastName": POLISH}, "amount": 125000,
                                           "collaterals": ["samochód", "mieszkanie"]})
    text = docx_text(rendered.content)
    assert rendered.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert f"Szanowna Pani {POLISH}," in text
    assert "Zabezpieczenie: samochód" in text and "Zabezpieczenie: mieszkanie" in text
    assert "Kwota: 125000 PLN" in text


def test_markup_in_data_is_escaped():
    rendered = rendering.render(word_draft("Firma: {{ company }}"), {"company": "Kowalski & Syn <sp. j.>"})
    assert "Firma: Kowalski & Syn <sp. j.>" in docx_text(rendered.content)


def test_a_missing_variable_is_named():
    with pytest.raises(rendering.RenderError, match="Missing template variable: 'amount' is undefined"):
        rendering.render(word_draft("Kwota: {{ amount }}"), {})


def test_the_sandbox_applies_to_word_templates():
    with pytest.raises(rendering.RenderError, match="sandbox forbids"):
        rendering.render(word_draft("{{ x.__class__.__base__ }}"), {"x": 1})


def test_a_file_that_is_not_a_word_document_fails_clearly():
    template = services.create_template(code="broken", name="b", output_format="docx", docx_content=b"not a zip")
    with pytest.raises(rendering.RenderError, match="could not be rendered"):
        rendering.render(template, {})
