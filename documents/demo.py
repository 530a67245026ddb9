"""Demo data: a published "loan-decision" PDF template, bound to the `loan-application` data model
when that model exists and the sample data fits it."""

from documents import services
from documents.models import DocumentTemplate
from eximee.errors import RuleViolation

CODE = "loan-decision"
BODY = """<header><img src="logo.svg" alt="Eximee Bank"></header>
<h1>Decyzja kredytowa</h1>
<p class="meta">Sprawa: {{ caseNumber | default("—") }}</p>
<p>Szanowna Pani / Szanowny Panie <strong>{{ applicant.firstName }} {{ applicant.lastName }}</strong>,</p>
<p>uprzejmie informujemy, że Pani/Pana wniosek o kredyt w kwocie
<strong>{{ "{:,.2f}".format(amount).replace(",", " ") }} zł</strong> na okres {{ term }} miesięcy
został rozpatrzony pozytywnie.</p>
<table>
  <thead><tr><th>Rata</th><th>Kwota raty</th></tr></thead>
  <tbody>{% for n in range(1, term + 1) %}<tr><td>{{ n }}</td><td>{{ "%.2f" | format(amount / term) }} zł</td></tr>{% endfor %}</tbody>
</table>
<p class="signature">Z poważaniem,<br>Dział Kredytów Eximee Bank</p>
"""
STYLESHEET = """@page { size: A4; margin: 2cm; @bottom-center { content: "Strona " counter(page) " z " counter(pages);
                                          font-family: "DejaVu Sans", sans-serif; font-size: 9pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; }
header img { height: 1.2cm; }
h1 { color: #0b4f8a; }
table { border-collapse: collapse; width: 60%; }
th, td { border-bottom: 1px solid #ccc; padding: 2px 6px; text-align: left; }
.meta { color: #666; }
"""
LOGO = b"""<svg xmlns="http://www.w3.org/2000/svg" width="240" height="48"><rect width="240" height="48" fill="#0b4f8a"/>
<text x="16" y="32" font-size="22" fill="#fff" font-family="DejaVu Sans">Eximee Bank</text></svg>"""
SAMPLE = {"caseNumber": "LN-2026-000123", "applicant": {"firstName": "Małgorzata", "lastName": "Wiśniewska-Żak"},
          "amount": 50000, "term": 12}


def load():
    if DocumentTemplate.objects.filter(code=CODE, status=DocumentTemplate.Status.PUBLISHED).exists():
        return [f"template {CODE} already published"]
    template = services.create_template(code=CODE, name="Loan decision letter", body=BODY, stylesheet=STYLESHEET,
                                        sample_data=SAMPLE, data_model_name="loan-application",
                                        assets={"logo.svg": LOGO}, actor="demo")
    try:
        services.publish_template(template.pk, actor="demo")
        bound = "bound to data model loan-application"
    except RuleViolation:
        # No loan-application model, or one the sample does not fit: the demo still gets its template.
        template.data_model_name = ""
        services.save_draft(template, actor="demo")
        services.publish_template(template.pk, actor="demo")
        bound = "not bound to a data model"
    return [f"template {CODE} v{template.version} published ({bound}); try: POST /v1/documents/generation-requests "
            '{"templateCode": "loan-decision", "caseNumber": "LN-2026-000123"} as anna']
