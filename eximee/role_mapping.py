"""Identity-provider claim values -> domain roles: the administrators' RoleMapping rows (Django
admin, changed at run time) over the OIDC_ROLE_MAP setting (deploy-time default).

Precedence, per claim value: its RoleMapping rows when it has any (they grant exactly those
roles), else its OIDC_ROLE_MAP entry, else the name itself (a provider that already uses our role
names needs no mapping). The rows win because they are the later, deliberate decision of an
administrator; a setting cannot be changed without a redeploy.

Every bearer token is mapped, so the rows are cached in the shared cache (Redis: all processes
see one copy). Saving or deleting a row drops that copy at once and again when its transaction
commits, so a request that read the old rows in between cannot keep them; the expiry bounds any
other way the cache could go stale (a change made straight in the database)."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from eximee.models import RoleMapping

CACHE_KEY = "eximee:auth:role-mappings"
CACHE_SECONDS = 300


def mapping_table():
    """{claim value: [roles]} of every RoleMapping row."""
    table = cache.get(CACHE_KEY)
    if table is None:
        table = {}
        for claim_value, role in RoleMapping.objects.values_list("claim_value", "role"):
            table.setdefault(claim_value, []).append(role)
        cache.set(CACHE_KEY, table, CACHE_SECONDS)
    return table


def roles_for(claim_values, table=None):
    """The role names a token's claim values stand for (not yet checked to be domain roles).
    `table`: mapping_table() as the caller already read it from the cache, if it did."""
    table = mapping_table() if table is None else table
    granted = set()
    for value in claim_values:
        if value in table:
            granted.update(table[value])
        else:
            granted.add(settings.OIDC_ROLE_MAP.get(value, value))
    return granted


def forget_cached_mappings():
    cache.delete(CACHE_KEY)


@receiver([post_save, post_delete], sender=RoleMapping, dispatch_uid="eximee.role_mapping.changed")
def _mapping_changed(**kwargs):
    forget_cached_mappings()
    transaction.on_commit(forget_cached_mappings)
