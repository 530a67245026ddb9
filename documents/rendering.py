"""Turn a template and its data into file bytes: HTML + CSS -> PDF (WeasyPrint), DOCX -> DOCX
(docxtpl). Both use Jinja in its sandbox with StrictUndefined, so a template cannot reach Python
internals and a missing variable is an error naming it rather than an empty gap in a contract.

WeasyPrint may load only the template's own assets: relative URLs resolve against a base on a
reserved `.invalid` host (RFC 2606, never resolvable) and the fetcher serves that host from the
asset table; any other URL (file:, http(s):, data:, ...) stops the render. Nothing here touches
the network or the file system outside the storage API."""

import io
import mimetypes
import traceback
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import jinja2
from django.conf import settings
from jinja2.sandbox import SandboxedEnvironment

from documents.models import CONTENT_TYPES, OutputFormat

ASSET_BASE_URL = "https://assets.template.invalid/"
_TEMPLATE_NAME = "<template>"


class RenderError(Exception):
    """A render that cannot succeed as the template and data stand; the message is for people."""


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    extension: str
    page_count: int | None


def template_environment(*, autoescape=True):
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=autoescape)


def check_syntax(source):
    """Raise RenderError if `source` is not a valid template."""
    try:
        template_environment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"Template syntax error on line {exc.lineno}: {exc.message}") from exc


def _template_line(exc):
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == _TEMPLATE_NAME]
    return f" (template line {lines[-1]})" if lines else ""


def _explain(exc):
    """A person-readable reason for a Jinja failure."""
    if isinstance(exc, jinja2.UndefinedError):
        return f"Missing template variable: {exc.message}{_template_line(exc)}"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"The template tried an operation the sandbox forbids: {exc}{_template_line(exc)}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"Template syntax error on line {exc.lineno}: {exc.message}"
    return f"The template failed: {type(exc).__name__}: {exc}{_template_line(exc)}"


def _run_jinja(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except jinja2.TemplateError as exc:
        raise RenderError(_explain(exc)) from exc
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        # Raised by the data's own operations inside the template (e.g. a number format on text).
        raise RenderError(_explain(exc)) from exc


def render(template, data):
    if template.output_format == OutputFormat.DOCX:
        return render_docx(template, data)
    return render_pdf(template, data)


# --- PDF ---------------------------------------------------------------------------------------

class BlockedURL(Exception):
    pass


def _asset_fetcher_class():
    # WeasyPrint is imported on first use: it loads Pango, which the web process rarely needs.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class TemplateAssetFetcher(URLFetcher):
        """Serves the template's assets and refuses everything else, before any I/O."""

        def __init__(self, assets):
            super().__init__(fail_on_errors=True)
            self.assets = assets

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if not url.startswith(ASSET_BASE_URL) or parts.query:
                raise BlockedURL(f"Blocked: the template may only load its own assets, not {url[:200]}")
            path = unquote(parts.path).lstrip("/")
            asset = self.assets.get(path)
            if asset is None:
                raise BlockedURL(f"The template refers to an asset it does not have: {path}")
            with asset.file.open("rb") as handle:
                body = handle.read()
            content_type = asset.content_type or mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return TemplateAssetFetcher


def _fetch_failure(exc):
    cause = exc.__cause__
    return str(cause) if isinstance(cause, BlockedURL) else f"{exc}: {cause}"


def render_pdf(template, data):
    from weasyprint import CSS, HTML
    from weasyprint.urls import FatalURLFetchingError

    html = _run_jinja(lambda: template_environment().from_string(template.body).render(data))
    fetcher = _asset_fetcher_class()({asset.path: asset for asset in template.assets.all()})
    try:
        stylesheets = [CSS(string=template.stylesheet, base_url=ASSET_BASE_URL, url_fetcher=fetcher)] \
            if template.stylesheet.strip() else []
        document = HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=fetcher).render(stylesheets=stylesheets)
        page_count = len(document.pages)
        if page_count > settings.DOCUMENTS_MAX_PAGES:
            raise RenderError(f"The document has {page_count} pages, more than the limit of "
                              f"{settings.DOCUMENTS_MAX_PAGES} (DOCUMENTS_MAX_PAGES).")
        content = document.write_pdf()
    except FatalURLFetchingError as exc:  # a BaseException: must be caught by name
        raise RenderError(_fetch_failure(exc)) from exc
    return Rendered(content, CONTENT_TYPES[OutputFormat.PDF], "pdf", page_count)


# --- DOCX --------------------------------------------------------------------------------------

def render_docx(template, data):
    from docxtpl import DocxTemplate

    if not template.docx_file:
        raise RenderError("The DOCX template has no Word file.")
    with template.docx_file.open("rb") as handle:
        source = io.BytesIO(handle.read())
    try:
        document = DocxTemplate(source)
        # autoescape: the data is XML-escaped, so "<" or "&" in a name cannot break the document.
        _run_jinja(document.render, data, jinja_env=template_environment(), autoescape=True)
    except RenderError:
        raise
    except Exception as exc:  # a file that is not a Word document, or one docxtpl cannot parse
        raise RenderError(f"The Word template could not be rendered: {type(exc).__name__}: {exc}") from exc
    output = io.BytesIO()
    document.save(output)
    return Rendered(output.getvalue(), CONTENT_TYPES[OutputFormat.DOCX], "docx", None)

