import re
import socket

import pytest

from documents import rendering, services

from .support import PAGE_NUMBERS_CSS, POLISH, SCHEDULE_BODY, pdf_pages

pytestmark = pytest.mark.django_db

TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000185d3bd0b0000000049454e44ae426082")


def draft(body, stylesheet="", assets=None):
    return services.create_template(code="t", name="t", body=body, stylesheet=stylesheet, assets=assets)


def test_polish_characters_survive_into_the_pdf_text():
    rendered = rendering.render(draft("<p>{{ name }}</p>"), {"name": POLISH})
    assert rendered.content_type == "application/pdf"
    assert POLISH in pdf_pages(rendered.content)[0]


def test_a_long_table_spans_pages_each_numbered():
    installments = [{"number": n, "amount": f"{1000 + n},00"} for n in range(1, 121)]
    rendered = rendering.render(draft(SCHEDULE_BODY, PAGE_NUMBERS_CSS),
                                {"applicant": {"lastName": "Wójcik"}, "installments": installments})
    pages = pdf_pages(rendered.content)
    assert rendered.page_count == len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Strona {number} z {len(pages)}" in text
    all_text = "\n".join(pages)
    assert "Harmonogram Wójcik" in pages[0]
    assert all(f"Rata {n}" in all_text for n in (1, 60, 120))


def test_a_missing_variable_is_named():
    with pytest.raises(rendering.RenderError, match=r"Missing template variable: 'amount' is undefined"):
        rendering.render(draft("<p>{{ name }}</p>\n<p>{{ amount }}</p>"), {"name": "x"})


def test_a_missing_nested_field_is_named_with_its_line():
    with pytest.raises(rendering.RenderError) as caught:
        rendering.render(draft("<p>\n{{ applicant.pesel }}</p>"), {"applicant": {}})
    assert "has no attribute 'pesel'" in str(caught.value)
    assert "template line 2" in str(caught.value)


def test_the_sandbox_refuses_python_internals():
    body = "{{ name.__class__.__mro__[1].__subclasses__() }}"
    with pytest.raises(rendering.RenderError, match="sandbox forbids"):
        rendering.render(draft(body), {"name": "x"})


def test_data_is_escaped_not_interpreted_as_html():
    rendered = rendering.render(draft("<p>{{ name }}</p>"), {"name": '<img src="file:///etc/passwd">Ala'})
    assert '<img src="file:///etc/passwd">Ala' in pdf_pages(rendered.content)[0]


@pytest.mark.parametrize("reference", [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="file:///etc/passwd">',
    '<img src="../../../../etc/passwd">',
    '<style>@import url("file:///etc/passwd");</style>',
])
def test_local_files_are_blocked(reference):
    with pytest.raises(rendering.RenderError, match="only load its own assets|does not have"):
        rendering.render(draft(f"<p>x</p>{reference}"), {})


@pytest.fixture
def network_attempts(monkeypatch):
    """Every attempt to resolve a name or open a connection while rendering, each refused."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("the test does not allow network access")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_external_urls_are_blocked_without_touching_the_network(network_attempts):
    with pytest.raises(rendering.RenderError, match=r"only load its own assets, not http://10\.255\.255\.1"):
        rendering.render(draft('<img src="http://10.255.255.1/logo.png"><p>x</p>'), {})
    with pytest.raises(rendering.RenderError, match="only load its own assets, not https://example.com"):
        rendering.render(draft("<p>x</p>", "body { background: url(https://example.com/x.png) }"), {})
    assert network_attempts == []


def test_the_templates_own_assets_are_served():
    template = draft('<link rel="stylesheet" href="css/style.css"><img src="img/logo.png"><p>Logo</p>',
                     assets={"img/logo.png": TINY_PNG, "css/style.css": b"p { color: #c00 }"})
    rendered = rendering.render(template, {})
    assert "Logo" in pdf_pages(rendered.content)[0]
    assert re.search(rb"/Subtype\s*/Image", rendered.content)


def test_a_missing_asset_fails_the_render():
    with pytest.raises(rendering.RenderError, match="does not have: img/missing.png"):
        rendering.render(draft('<img src="img/missing.png">'), {})


def test_page_limit(settings):
    settings.DOCUMENTS_MAX_PAGES = 2
    body = "{% for n in range(200) %}<p>Wiersz {{ n }}</p>{% endfor %}"
    with pytest.raises(rendering.RenderError, match=r"has \d+ pages, more than the limit of 2"):
        rendering.render(draft(body), {})
