from io import StringIO

import pytest
from django.core.management import call_command

from documents import benchmarks, rendering


def test_bench_lists_the_documents_figure():
    out = StringIO()
    call_command("bench", stdout=out)
    assert "documents: 2-page PDFs per minute with one Celery worker" in out.getvalue()


@pytest.mark.django_db
def test_the_benchmark_document_has_two_pages():
    assert rendering.render(benchmarks._template(), benchmarks.DATA).page_count == 2
