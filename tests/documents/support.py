"""Templates, data and readers shared by the document tests."""

import io

from docx import Document as WordDocument
from pypdf import PdfReader

from documents import services
from documents.models import GenerationRequest
from tests.bpms.async_support import wait_until

POLISH = "Zażółć gęślą jaźń: ąęłńóśźż ĄĘŁŃÓŚŹŻ"

DECISION_BODY = """<h1>Decyzja kredytowa {{ caseNumber }}</h1>
<p>Wnioskodawca: {{ applicant.firstName }} {{ applicant.lastName }}</p>
<p>Kwota: {{ amount }} PLN</p>
"""

SCHEDULE_BODY = """<h1>Harmonogram {{ applicant.lastName }}</h1>
<table>{% for row in installments %}<tr><td>Rata {{ row.number }}</td><td>{{ row.amount }}</td></tr>{% endfor %}
</table>"""
PAGE_NUMBERS_CSS = "@page { size: A4; @bottom-center { content: 'Strona ' counter(page) ' z ' counter(pages); } }"

LOAN_SCHEMA = {
    "type": "object",
    "required": ["applicant", "amount"],
    "properties": {
        "caseNumber": {"type": "string"},
        "applicant": {"type": "object", "required": ["lastName"],
                      "properties": {"firstName": {"type": "string"}, "lastName": {"type": "string"}}},
        "amount": {"type": "number", "minimum": 1000},
    },
}


def loan_data(**overrides):
    return {"caseNumber": "LN-1", "applicant": {"firstName": "Łucja", "lastName": "Żółkiewska"}, "amount": 125000,
            **overrides}


def published(**fields):
    fields.setdefault("name", fields["code"])
    template = services.create_template(**fields)
    return services.publish_template(template.pk, actor="test")


def word_template(*paragraphs):
    document = WordDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_pages(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def docx_text(content):
    return "\n".join(paragraph.text for paragraph in WordDocument(io.BytesIO(content)).paragraphs)


def wait_until_finished(request_id, timeout=30.0):
    finished = (GenerationRequest.Status.DONE, GenerationRequest.Status.FAILED)
    return wait_until(lambda: GenerationRequest.objects.filter(pk=request_id, status__in=finished).first(), timeout)
