"""Creating cases and moving them through the statuses their type allows."""

from django.db import IntegrityError, transaction

from eximee import timeline
from eximee.errors import Conflict, NotFound, PreconditionFailed, RuleViolation

from ..models import Case, CaseStatusChange, CaseType


def create_case(*, case_number, case_type, status=None, reason="", attributes=None, actor=""):
    """A new case in one of its type's initial statuses (default: the first of them)."""
    kind = CaseType.objects.filter(name=case_type).first()
    if kind is None:
        raise RuleViolation(f"Unknown case type '{case_type}'.",
                            errors=[{"pointer": "/caseType", "detail": "unknown case type"}])
    status = status or kind.initial_statuses[0]
    if status not in kind.initial_statuses:
        raise RuleViolation(
            f"A case of type '{case_type}' starts in one of: {', '.join(kind.initial_statuses)}.",
            errors=[{"pointer": "/status", "detail": "not an initial status"}],
            extra={"allowedStatuses": kind.initial_statuses})
    with transaction.atomic():
        try:
            with transaction.atomic():
                case = Case.objects.create(case_number=case_number, case_type=kind, status=status,
                                           status_reason=reason or "", attributes=attributes or {},
                                           created_by=actor or "")
        except IntegrityError:
            raise Conflict(f"A case numbered '{case_number}' already exists.",
                           errors=[{"pointer": "/caseNumber", "detail": "already exists"}]) from None
        CaseStatusChange.objects.create(case=case, to_status=status, reason=case.status_reason, actor=actor or "",
                                        case_version=case.version)
        timeline.record("case.created", f"Case {case_number} ({case_type}) created in status {status}",
                        business_key=case_number, actor=actor,
                        data={"caseId": str(case.id), "caseType": case_type, "status": status, "reason": reason})
    return case


def change_status(*, case_id=None, case_number=None, status, reason="", actor="", expected_version=None,
                  process_instance_id=None, idempotency_key=None):
    """Moves a case to `status` if its type allows the transition (409 naming the allowed ones
    otherwise). expected_version: the version the caller read (If-Match); stale -> 412."""
    with transaction.atomic():
        lookup = {"pk": case_id} if case_id is not None else {"case_number": case_number}
        case = Case.objects.select_for_update().select_related("case_type").filter(**lookup).first()
        if case is None:
            raise NotFound(f"No case {case_id or case_number}.")
        if idempotency_key and CaseStatusChange.objects.filter(idempotency_key=idempotency_key).exists():
            return case
        if expected_version is not None and expected_version != case.version:
            raise PreconditionFailed(
                f"The case has changed since version {expected_version}; it is now at version {case.version}.",
                extra={"currentVersion": case.version})
        allowed = case.case_type.allowed_from(case.status)
        if status not in allowed:
            raise Conflict(
                f"A {case.case_type.name} case cannot go from '{case.status}' to '{status}'; allowed: "
                f"{', '.join(allowed) or 'none (final status)'}.",
                errors=[{"pointer": "/status", "detail": f"allowed: {allowed}"}],
                extra={"currentStatus": case.status, "allowedStatuses": allowed})
        previous = case.status
        case.status = status
        case.status_reason = reason or ""
        case.version += 1
        case.save(update_fields=["status", "status_reason", "version", "updated"])
        CaseStatusChange.objects.create(case=case, from_status=previous, to_status=status, reason=case.status_reason,
                                        actor=actor or "", case_version=case.version,
                                        process_instance_id=process_instance_id, idempotency_key=idempotency_key)
        timeline.record("case.status-changed", f"Case status {previous} -> {status}"
                        + (f": {reason}" if reason else ""),
                        business_key=case.case_number, process_instance_id=process_instance_id, actor=actor,
                        data={"caseId": str(case.id), "from": previous, "to": status, "reason": reason,
                              "version": case.version})
    return case
