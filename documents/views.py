"""Dashboard page of document generation requests: live status while a render is queued or
running (the results poll themselves through htmx), download when done, and a form that asks for
a document from a case's business data through documents.services.request_generation."""

from django import forms
from django.urls import reverse

from documents import services
from documents.filtersets import GenerationRequestFilter
from documents.models import DocumentTemplate, GenerationRequest
from documents.tables import GenerationRequestTable
from eximee import roles
from eximee.dashboard import DashboardView, ListPage, may_open, style_form
from eximee.errors import InvalidRequest

DOCUMENT_ROLES = (roles.DOCUMENT_REQUESTER,)
PENDING = (GenerationRequest.Status.QUEUED, GenerationRequest.Status.RUNNING)


def published_template_choices():
    codes = DocumentTemplate.objects.filter(status=DocumentTemplate.Status.PUBLISHED) \
        .order_by("code").values_list("code", flat=True).distinct()
    return [(code, code) for code in codes]


class RequestForm(forms.Form):
    template_code = forms.ChoiceField(label="Template", choices=published_template_choices)
    case_number = forms.CharField(label="Case number", max_length=200,
                                  help_text="The document is filled from this case's business data.")


class DocumentList(ListPage):
    template_name = "documents/document_list.html"
    partial_template_name = "documents/partials/document_results.html"
    required_roles = {"GET": DOCUMENT_ROLES}
    title = "Documents"
    filterset_class = GenerationRequestFilter
    table_class = GenerationRequestTable
    empty_text = "No document requests match these filters."
    POLL_SECONDS = 2

    def get_queryset(self):
        return GenerationRequest.objects.select_related("template", "document").order_by("-created", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["table"].page
        context.update(
            # Poll only while something on this page is still being rendered.
            polling=page is not None and any(row.record.status in PENDING for row in page.object_list),
            poll_seconds=self.POLL_SECONDS,
            request_form=style_form(RequestForm()),
            can_request=may_open(self.request.user, DocumentRequest, "POST"),
        )
        return context


class DocumentRequest(DashboardView):
    required_roles = {"POST": DOCUMENT_ROLES}

    def post(self, request):
        form = RequestForm(request.POST)
        fallback = reverse("dashboard:document-list")
        return self.perform(lambda: self.request_document(form), self.success, fallback)

    def request_document(self, form):
        if not form.is_valid():
            raise InvalidRequest("Choose a published template and enter a case number.")
        return services.request_generation(template_code=form.cleaned_data["template_code"],
                                           case_number=form.cleaned_data["case_number"], actor=self.actor)

    def success(self, generation):
        return f"{generation.file_name} was requested; its status updates below."
