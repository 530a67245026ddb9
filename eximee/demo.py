"""Demo users, one per typical role; each app adds its own demo data in <app>/demo.py."""

from django.contrib.auth.models import Group, User

from eximee import roles

DEMO_PASSWORD = "demo"
DEMO_USERS = {
    "admin": (roles.ADMIN,),
    "anna": (roles.TASK_WORKER, roles.PROCESS_STARTER, roles.CASE_READER, roles.DOCUMENT_REQUESTER),
    "tomasz": (roles.TASK_MANAGER, roles.TASK_WORKER, roles.CASE_READER),
    "olga": (roles.OPERATOR, roles.CASE_READER, roles.AUDITOR),
}


def load():
    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)
    for username, user_roles in DEMO_USERS.items():
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": username == "admin", "is_superuser": username == "admin"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.set(Group.objects.filter(name__in=user_roles))
    return [f"{name} / {DEMO_PASSWORD} ({', '.join(r)})" for name, r in DEMO_USERS.items()]
