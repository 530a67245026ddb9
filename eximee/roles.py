"""Domain roles. Tokens' claim roles map onto these (eximee/role_mapping.py); each is mirrored as a
Django group of the same name. docs/security.md holds the matrix of which role may call what."""

PROCESS_STARTER = "process-starter"
TASK_WORKER = "task-worker"
TASK_MANAGER = "task-manager"
SERVICE_WORKER = "service-worker"
OPERATOR = "operator"
DEPLOYER = "deployer"
CASE_WRITER = "case-writer"
CASE_READER = "case-reader"
DOCUMENT_REQUESTER = "document-requester"
DATAMODEL_READER = "datamodel-reader"
CONFIG_READER = "config-reader"
CONFIG_SECRET_READER = "config-secret-reader"
EVENT_PUBLISHER = "event-publisher"
AUDITOR = "auditor"
ADMIN = "admin"

ALL_ROLES = (
    PROCESS_STARTER,
    TASK_WORKER,
    TASK_MANAGER,
    SERVICE_WORKER,
    OPERATOR,
    DEPLOYER,
    CASE_WRITER,
    CASE_READER,
    DOCUMENT_REQUESTER,
    DATAMODEL_READER,
    CONFIG_READER,
    CONFIG_SECRET_READER,
    EVENT_PUBLISHER,
    AUDITOR,
    ADMIN,
)


def roles_of(user):
    """The domain roles a user holds: the names of their groups that are domain roles.

    Cached on the user object for the request; authentication classes that know the roles from a
    token set `user._eximee_roles` themselves."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_eximee_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        user._eximee_roles = cached
    return cached


def has_any_role(user, *roles):
    held = roles_of(user)
    return ADMIN in held or any(role in held for role in roles)
