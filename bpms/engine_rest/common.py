"""What every /engine-rest view shares: Camunda's error body, dates, paging, sorting and ids."""

import uuid
from contextlib import contextmanager
from datetime import datetime

from django.http import QueryDict
from django.utils import timezone
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from eximee.api.problems import exception_handler as problem_exception_handler
from eximee.errors import Conflict, InvalidRequest, NotFound

# Camunda names the exception class in `type`; clients branch on the status code.
EXCEPTION_TYPES = {
    400: "InvalidRequestException",
    401: "AuthenticationException",
    403: "AuthorizationException",
    404: "NotFoundException",
    405: "RestException",
    409: "ProcessEngineException",
    412: "OptimisticLockingException",
    413: "InvalidRequestException",
    415: "RestException",
    422: "ProcessEngineException",
    429: "RestException",
}
# Camunda's error codes: 0 is the engine's built-in default, 1 an optimistic-locking failure.
OPTIMISTIC_LOCKING_CODE = 1
MAX_RESULTS = 10_000
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


def exception_handler(exc, context):
    """The problem+json of eximee.api.problems, reshaped into Camunda's {type, message, code}."""
    response = problem_exception_handler(exc, context)
    if response is None:
        return None
    problem = response.data
    message = problem["detail"]
    details = [f"{e['pointer'] or '/'}: {e['detail']}" for e in problem.get("errors") or []]
    if details and not any(detail in message for detail in details):
        message = f"{message} {'; '.join(details)}"
    response.data = {
        "type": getattr(exc, "camunda_type", None) or EXCEPTION_TYPES.get(response.status_code, "ProcessEngineException"),
        "message": message,
        "code": OPTIMISTIC_LOCKING_CODE if response.status_code == 412 else 0,
    }
    response.content_type = "application/json"
    return response


class BadUserRequest(InvalidRequest):
    """A 400 Camunda names BadUserRequestException (e.g. acting on an external task locked by
    another worker, extending an expired lock), where our /v1 API says 409."""

    camunda_type = "BadUserRequestException"


class MismatchingMessageCorrelation(InvalidRequest):
    camunda_type = "MismatchingMessageCorrelationException"


@contextmanager
def conflicts_as(error_class):
    try:
        yield
    except Conflict as exc:
        raise error_class(exc.detail) from exc


class EngineRestView(APIView):
    """Base of every facade view: Camunda's error body, and no place in the /v1 OpenAPI document."""

    versioning_class = None
    schema = None

    def get_exception_handler(self):
        return exception_handler


def no_content():
    return Response(status=status.HTTP_204_NO_CONTENT)


def body_of(request):
    """The JSON object a request sent; {} for any other body (each view reports what it misses)."""
    return request.data if isinstance(request.data, dict) else {}


class RetriesView(EngineRestView):
    """PUT {retries} on a job or external task: > 0 on one with an open incident resolves the
    incident and hands it out again; 0 opens one. A subclass names the URL's id (`id_name`), what
    it is, how to find one and how to set its retries."""

    id_name = what = None
    find = set_retries = None

    def put(self, request, **kwargs):
        owner = self.find(known_id(kwargs[self.id_name], self.what))
        self.set_retries(owner.id, retries=body_of(request).get("retries"), actor=request.user.get_username())
        return no_content()


def format_date(value):
    """Camunda's `yyyy-MM-dd'T'HH:mm:ss.SSSZ` in the server's time zone: 2026-11-27T18:42:42.657+0100."""
    if value is None:
        return None
    local = timezone.localtime(value)
    return f"{local.strftime(DATE_FORMAT)}.{local.microsecond // 1000:03d}{local.strftime('%z')}"


def parse_date(name, text):
    """A date parameter in Camunda's format (or any ISO 8601 date-time with an offset)."""
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "+"))
    except (AttributeError, ValueError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise InvalidRequest(f"Cannot convert value '{text}' of {name} to a date: use yyyy-MM-dd'T'HH:mm:ss.SSSZ.",
                             errors=[{"pointer": f"/{name}", "detail": "not a date with an offset"}])
    return parsed


def known_id(value, what):
    """Ids are UUIDs here; anything else names nothing (404, like an unknown id)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(f"{what} with id '{value}' does not exist.") from None


def id_param(params, name, what):
    """The id in parameter `name`, or None when it is not given."""
    return known_id(params[name], what) if params.get(name) else None


def date_param(params, name):
    """The date-time in parameter `name`, or None when it is not given."""
    return parse_date(name, params[name]) if params.get(name) else None


def narrowed(rows, **lookups):
    """rows filtered by those of the lookups that have a value (not None)."""
    given = {field: value for field, value in lookups.items() if value is not None}
    return rows.filter(**given) if given else rows


def integer_param(params, name, minimum=0):
    text = params.get(name)
    if text in (None, ""):
        return None
    try:
        number = int(text)
    except (TypeError, ValueError):
        number = None
    if number is None or number < minimum:
        raise InvalidRequest(f"Cannot set query parameter '{name}' to value '{text}': a whole number >= {minimum}.",
                             errors=[{"pointer": f"/{name}", "detail": f"integer >= {minimum}"}])
    return number


def boolean_param(params, name):
    value = params.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    if value not in ("true", "false"):
        raise InvalidRequest(f"Cannot set query parameter '{name}' to value '{value}': true or false.",
                             errors=[{"pointer": f"/{name}", "detail": "true or false"}])
    return value == "true"


def page(rows, params):
    """firstResult/maxResults of a sorted queryset or list; no maxResults means all (up to MAX_RESULTS)."""
    first = integer_param(params, "firstResult") or 0
    size = integer_param(params, "maxResults")
    if size is not None and size > MAX_RESULTS:
        raise InvalidRequest(f"Max results limit of {MAX_RESULTS} exceeded!",
                             errors=[{"pointer": "/maxResults", "detail": f"at most {MAX_RESULTS}"}])
    return list(rows[first:first + (MAX_RESULTS if size is None else size)])


def sort_order(params, allowed):
    """(field, descending) from sortBy + sortOrder, or None. Camunda wants both or neither."""
    sort_by, order = params.get("sortBy"), params.get("sortOrder")
    if not sort_by and not order:
        return None
    if not sort_by or not order:
        raise InvalidRequest("Only a single sorting parameter specified. sortBy and sortOrder required.",
                             errors=[{"pointer": "/sortBy" if not sort_by else "/sortOrder", "detail": "required"}])
    if sort_by not in allowed:
        raise InvalidRequest(f"Cannot set query parameter 'sortBy' to value '{sort_by}': one of {', '.join(allowed)}.",
                             errors=[{"pointer": "/sortBy", "detail": "unknown"}])
    if order not in ("asc", "desc"):
        raise InvalidRequest(f"Cannot set query parameter 'sortOrder' to value '{order}': asc or desc.",
                             errors=[{"pointer": "/sortOrder", "detail": "asc or desc"}])
    return allowed[sort_by], order == "desc"


def sorted_rows(rows, params, allowed):
    """Apply sortBy/sortOrder (Camunda names -> fields) to a queryset or a list of rows, id last for
    stable pages."""
    sorting = sort_order(params, allowed)
    if sorting is None:
        return rows
    field, descending = sorting
    if isinstance(rows, list):
        return sorted(rows, key=lambda row: (getattr(row, field), row.id), reverse=descending)
    return rows.order_by(f"-{field}" if descending else field, "id")


def query_of(request):
    """The query of a list: the query string, merged with a JSON body for the POST forms of lists."""
    params = request.query_params.copy()
    if request.method == "POST":
        for key, value in body_of(request).items():
            if isinstance(value, list):
                params.setlist(key, value)
            elif value is not None:
                params[key] = "true" if value is True else "false" if value is False else str(value) \
                    if not isinstance(value, dict) else value
    return params


def translated(params, names):
    """A QueryDict for a selector: {selector name: Camunda name} copied over when present."""
    result = QueryDict(mutable=True)
    for ours, theirs in names.items():
        values = params.getlist(theirs)
        if values:
            result.setlist(ours, values)
    return result


def id_list(params, name):
    """A comma-separated list of ids (processInstanceIds=a,b); unknown ids match nothing."""
    text = params.get(name)
    if not text:
        return None
    ids = []
    for part in str(text).split(","):
        try:
            ids.append(uuid.UUID(part.strip()))
        except ValueError:
            pass
    return ids


class ListView(EngineRestView):
    """A Camunda list: GET with firstResult, maxResults, sortBy + sortOrder; the same view with
    count=True answers `/count` -> {"count"}. QueryListView also takes the query as a POST body. Rows
    are a queryset, or a list for what has no table of its own (job definitions)."""

    count = False
    sorts = {}

    def rows(self, request, params):
        raise NotImplementedError

    def dto(self, row):
        raise NotImplementedError

    def get(self, request, **kwargs):
        params = query_of(request)
        rows = self.rows(request, params)
        if self.count:
            return Response({"count": len(rows) if isinstance(rows, list) else rows.count()})
        return Response([self.dto(row) for row in page(sorted_rows(rows, params, self.sorts), params)])


class QueryListView(ListView):
    def post(self, request, **kwargs):
        return self.get(request, **kwargs)
