"""`python manage.py bench documents`: 2-page PDFs per minute rendered by one Celery worker, beside
the same render in this process (no queue, no database, no storage) as its ceiling."""

import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Max, Min

from documents import rendering, services
from documents.models import Document, DocumentTemplate, GenerationRequest
from eximee.bench import benchmark, timed
from eximee.celery import app
from eximee.models import TimelineEvent

CODE = "bench-two-pages"
BODY = """<h1>Harmonogram spłat {{ caseNumber }}</h1>
<p>Kredytobiorca: {{ name }}</p>
<table>{% for n in range(1, rows + 1) %}<tr><td>Rata {{ n }}</td><td>{{ amount }} zł</td></tr>{% endfor %}</table>"""
STYLESHEET = "@page { size: A4; @bottom-center { content: 'Strona ' counter(page) ' z ' counter(pages) } }"
DATA = {"caseNumber": "LN-BENCH", "name": "Zażółć Gęślą", "amount": "1 234,56", "rows": 45}


def _template():
    template = DocumentTemplate.objects.filter(code=CODE, status=DocumentTemplate.Status.PUBLISHED).first()
    if template is None:
        draft = services.create_template(code=CODE, name="Benchmark: two pages", body=BODY, stylesheet=STYLESHEET,
                                         sample_data=DATA, actor="bench")
        template = services.publish_template(draft.pk, actor="bench")
    return template


def _start_worker():
    if app.control.ping(timeout=1.0):
        raise CommandError("Other Celery workers are running; stop them: this figure is for exactly one worker.")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "eximee", "worker", "--concurrency=1", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle"], cwd=settings.BASE_DIR, env=dict(os.environ),
        start_new_session=True)
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            raise CommandError("The benchmark's Celery worker did not start.")
    return worker


def _wait_for(request_ids, timeout):
    pending = GenerationRequest.objects.filter(pk__in=request_ids).exclude(
        status__in=[GenerationRequest.Status.DONE, GenerationRequest.Status.FAILED])
    deadline = time.monotonic() + timeout
    while pending.exists():
        if time.monotonic() > deadline:
            raise CommandError(f"{pending.count()} renders still unfinished after {timeout} s.")
        time.sleep(0.2)


def _clean_up(request_ids):
    documents = list(Document.objects.filter(generation_request__pk__in=request_ids))
    for document in documents:
        document.file.storage.delete(document.file.name)
    TimelineEvent.objects.filter(data__generationRequestId__in=[str(pk) for pk in request_ids]).delete()
    GenerationRequest.objects.filter(pk__in=request_ids).delete()
    Document.objects.filter(pk__in=[document.pk for document in documents]).delete()


@benchmark("documents", "2-page PDFs per minute with one Celery worker (target >= 120)")
def documents(report, options):
    template = _template()
    pages = rendering.render(template, DATA).page_count
    if pages != 2:
        raise CommandError(f"The benchmark document has {pages} pages instead of 2; adjust DATA['rows'].")
    per_second, _ = timed(lambda _: rendering.render(template, DATA), 20)
    report("ceiling: 2-page render in this process", per_second * 60, "/min", "WeasyPrint alone")

    count = min(options["repeat"], 120)
    worker = _start_worker()
    request_ids = []
    try:
        began = time.monotonic()
        with transaction.atomic():
            for _ in range(count):
                request_ids.append(services.request_generation(template_code=CODE, data=DATA, actor="bench").pk)
        _wait_for(request_ids, timeout=count * 5)
        wall = time.monotonic() - began
        finished = GenerationRequest.objects.filter(pk__in=request_ids)
        failed = finished.filter(status=GenerationRequest.Status.FAILED).count()
        span = finished.aggregate(first=Min("started_at"), last=Max("finished_at"))
        busy = (span["last"] - span["first"]).total_seconds()
        report("2-page PDFs per minute, one worker (first claim to last done)", count / busy * 60, "/min",
               f"{count} requests, {failed} failed; target >= 120")
        report("same, from request to last document (queue included)", count / wall * 60, "/min")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        _clean_up(request_ids)
