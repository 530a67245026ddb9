"""API authentication: `Authorization: Bearer <JWT>` checked locally against the OpenID provider's
keys, and the mapping of token claims onto domain roles (shared with the dashboard login).

The provider is found from OIDC_ISSUER alone: its discovery document names the JWKS. Keys are
cached; a token signed with a key id we have not seen makes us fetch the JWKS again (at most once
per OIDC_JWKS_MIN_REFRESH_SECONDS, so a flood of made-up key ids cannot turn into a flood of
requests to the provider), which is how a key rotation at the provider takes effect without a
restart. Only asymmetric algorithms are accepted: `none` and HS* (which an attacker could sign
with our *public* key) are refused before any key is looked at.

A client sends the same token on every call until it expires, so each process remembers the tokens
it has verified (VerifiedTokens): a token seen again is checked for expiry only, as long as the key
that verified it is still the provider's key of that id (a refetched JWKS brings new key objects,
so the token is verified afresh and refused if its key was withdrawn).
"""

import hashlib
import json
import logging
import threading
import time
import urllib.request

import jwt
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import transaction
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from eximee import errors, role_mapping, roles as domain_roles

logger = logging.getLogger(__name__)

ALLOWED_ALGORITHMS = ("RS256", "ES256")
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub")
MACHINE_USERNAME_PREFIX = "client:"


class Issuer:
    """One OpenID provider: its discovery document and signing keys, fetched lazily and cached."""

    def __init__(self, url):
        self.url = url.rstrip("/")
        self._metadata = None
        self._jwks_client = None
        self._last_refresh = 0.0
        self._lock = threading.Lock()
        self.verified = VerifiedTokens()

    @property
    def metadata(self):
        if self._metadata is None:
            discovery = f"{self.url}/.well-known/openid-configuration"
            try:
                with urllib.request.urlopen(discovery, timeout=settings.OIDC_TIMEOUT_SECONDS) as response:
                    self._metadata = json.load(response)
            except (OSError, ValueError) as exc:
                logger.warning("OpenID discovery failed at %s: %s", discovery, exc)
                raise errors.ServiceUnavailable(
                    "The identity provider cannot be reached; try again later.",
                    headers={"Retry-After": "10"}) from exc
        return self._metadata

    def endpoint(self, name):
        return self.metadata[name]

    def signing_key(self, kid):
        with self._lock:
            if self._jwks_client is None:
                self._jwks_client = jwt.PyJWKClient(
                    self.endpoint("jwks_uri"), cache_keys=False, cache_jwk_set=True,
                    lifespan=settings.OIDC_JWKS_CACHE_SECONDS, timeout=settings.OIDC_TIMEOUT_SECONDS)
            try:
                key = _find_key(self._jwks_client.get_jwk_set(), kid)
                now = time.monotonic()
                if key is None and now - self._last_refresh >= settings.OIDC_JWKS_MIN_REFRESH_SECONDS:
                    self._last_refresh = now
                    key = _find_key(self._jwks_client.get_jwk_set(refresh=True), kid)
            except jwt.PyJWKClientConnectionError as exc:
                logger.warning("JWKS fetch failed: %s", exc)
                raise errors.ServiceUnavailable(
                    "The identity provider's keys cannot be fetched; try again later.",
                    headers={"Retry-After": "10"}) from exc
        return key


def _find_key(jwk_set, kid):
    return next((key for key in jwk_set.keys if key.key_id == kid), None)


class VerifiedTokens:
    """The claims of tokens this process has verified, with the key that verified them. Bounded:
    when full, the oldest half is forgotten (only tokens the provider signed get in, so it fills
    no faster than the provider issues tokens)."""

    MAX_ENTRIES = 1024

    def __init__(self):
        self._entries = {}
        self._lock = threading.Lock()

    def get(self, token, audience):
        return self._entries.get((token, audience))

    def remember(self, token, audience, claims, kid, key):
        with self._lock:
            if len(self._entries) >= self.MAX_ENTRIES:
                for old in list(self._entries)[: self.MAX_ENTRIES // 2]:
                    self._entries.pop(old, None)
            self._entries[(token, audience)] = (claims, int(claims["exp"]), kid, key)

    def forget(self, token, audience):
        self._entries.pop((token, audience), None)


_issuers = {}
_issuers_lock = threading.Lock()


def issuer():
    """The configured provider (one cached object per OIDC_ISSUER value)."""
    url = settings.OIDC_ISSUER
    if not url:
        raise errors.ServiceUnavailable("No identity provider is configured (OIDC_ISSUER).")
    with _issuers_lock:
        if url not in _issuers:
            _issuers[url] = Issuer(url)
        return _issuers[url]


class InvalidToken(exceptions.AuthenticationFailed):
    pass


def decode_access_token(token):
    """The verified claims of an access token, or InvalidToken saying why not. The claims are
    shared with later requests carrying the same token: read them, never change them."""
    provider = issuer()
    audience = settings.OIDC_AUDIENCE
    known = provider.verified.get(token, audience)
    if known is not None:
        claims, expires, kid, key = known
        if provider.signing_key(kid) is key:
            # Signature, issuer, audience and not-before held when it was verified; time only
            # moves on, so expiry is all that can have changed (the same test as PyJWT's).
            if expires <= time.time() - settings.OIDC_LEEWAY_SECONDS:
                provider.verified.forget(token, audience)
                raise InvalidToken("The access token has expired.")
            return claims
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("The access token is not a well-formed JWT.")
    if header.get("alg") not in ALLOWED_ALGORITHMS:
        raise InvalidToken(f"Tokens signed with {header.get('alg')!r} are not accepted.")
    key = provider.signing_key(header.get("kid"))
    if key is None:
        raise InvalidToken("The token is signed with an unknown key.")
    try:
        claims = jwt.decode(
            token, key=key.key, algorithms=[header["alg"]], audience=audience,
            issuer=provider.url, leeway=settings.OIDC_LEEWAY_SECONDS,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("The access token has expired.")
    except jwt.ImmatureSignatureError:
        raise InvalidToken("The access token is not valid yet.")
    except jwt.InvalidAudienceError:
        raise InvalidToken("The access token is meant for another audience.")
    except jwt.InvalidIssuerError:
        raise InvalidToken("The access token comes from another issuer.")
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"The access token is not valid: {exc}.")
    provider.verified.remember(token, audience, claims, header.get("kid"), key)
    return claims


# --- Claims -> domain roles and the Django user --------------------------------------------------

def _claim_at(claims, path):
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def is_role_name(name):
    """A domain role, or one scoped by a suffix such as `service-worker:payments.*` (a service
    worker restricted to some topics)."""
    return name.partition(":")[0] in domain_roles.ALL_ROLES


def _names_at(claims, paths):
    names = set()
    for path in paths:
        value = _claim_at(claims, path)
        if isinstance(value, str):
            value = value.split()  # "scope" is one space-separated string
        if isinstance(value, list):
            names.update(name for name in value if isinstance(name, str))
    return names


def groups_from_claims(claims, mapping_table=None):
    """The Django groups a token's subject belongs to: the (scoped) domain roles found under
    OIDC_ROLES_CLAIMS, mapped through the admin's role mappings and OIDC_ROLE_MAP (a name without
    a mapping stands for itself; eximee/role_mapping.py), plus the plain group names under
    OIDC_GROUPS_CLAIMS (candidate groups of user tasks). `mapping_table`: the cached mappings when
    the caller has read them already.

    A name under OIDC_GROUPS_CLAIMS that looks like a role grants nothing: roles come only from
    the role claims."""
    roles = role_mapping.roles_for(_names_at(claims, settings.OIDC_ROLES_CLAIMS), mapping_table)
    plain_groups = {name for name in _names_at(claims, settings.OIDC_GROUPS_CLAIMS) if not is_role_name(name)}
    return frozenset({name for name in roles if is_role_name(name)} | plain_groups)


def client_id_of(claims):
    return claims.get("client_id") or claims.get("azp") or ""


def is_machine_client(claims):
    """Client-credentials tokens name the client itself as subject (Keycloak: a service account)."""
    username = str(claims.get(settings.OIDC_USERNAME_CLAIM) or "")
    return claims.get("sub") == client_id_of(claims) or username.startswith("service-account-")


def username_from_claims(claims):
    if is_machine_client(claims):
        return (MACHINE_USERNAME_PREFIX + client_id_of(claims))[:150]
    return str(claims.get(settings.OIDC_USERNAME_CLAIM) or claims["sub"])[:150]


USER_CACHE_PREFIX = "eximee:auth:user:"
_CACHED_USER_FIELDS = ("id", "username", "email", "first_name", "last_name", "is_active", "is_staff",
                       "is_superuser")


def _cache_key(username):
    return USER_CACHE_PREFIX + hashlib.sha256(username.encode()).hexdigest()


def user_for_claims(claims):
    """The Django user of a token's subject, created on first sight, with their (scoped) domain
    roles mirrored as groups (written only when they changed).

    A caller seen with the same groups within OIDC_USER_CACHE_SECONDS is served from the cache
    (Redis) instead of two database reads per request; a deactivation therefore takes effect
    within that time, as a revocation at the provider does within a token's lifetime. The cached
    user and the role mappings are read in one round trip."""
    username = username_from_claims(claims)
    key = _cache_key(username)
    wanted = [role_mapping.CACHE_KEY, key] if settings.OIDC_USER_CACHE_SECONDS else [role_mapping.CACHE_KEY]
    found = cache.get_many(wanted)
    groups = groups_from_claims(claims, found.get(role_mapping.CACHE_KEY))
    cached = found.get(key)
    if cached and cached["groups"] == sorted(groups):
        user = User(**cached["fields"])
        user._state.adding = False
        user._state.db = "default"
        user._eximee_roles = frozenset(groups) & set(domain_roles.ALL_ROLES)
        user._eximee_groups = sorted(groups)
        return user
    user = _load_user(claims, username, groups)
    if settings.OIDC_USER_CACHE_SECONDS:
        cache.set(key, {"groups": sorted(groups), "fields": {f: getattr(user, f) for f in _CACHED_USER_FIELDS}},
                  settings.OIDC_USER_CACHE_SECONDS)
    return user


def _load_user(claims, username, groups):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=claims.get("email") or "")
        user.set_unusable_password()
        user.save()
    elif user.has_usable_password():
        # A local account (admin, demo user) is never taken over by a token that names it.
        raise InvalidToken("The token's subject collides with a local account.")
    if not user.is_active:
        raise InvalidToken("The user is deactivated.")
    mirror_groups(user, groups)
    return user


def mirror_groups(user, groups):
    """Make the user's groups exactly `groups`: for people and clients of the identity provider,
    the provider is where groups and roles are managed."""
    groups = set(groups)
    current = set(user.groups.values_list("name", flat=True))
    if current != groups:
        with transaction.atomic():
            user.groups.remove(*Group.objects.filter(name__in=current - groups))
            user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups - current))
    user._eximee_roles = frozenset(groups & set(domain_roles.ALL_ROLES))
    user._eximee_groups = sorted(groups)


def _attach_audit_actor(user):
    """django-auditlog's middleware captured request.user before DRF authenticated the token, so
    model changes of this request would have no actor: put the real one into its context."""
    from auditlog.context import auditlog_value

    try:
        auditlog_value.get()["actor"] = user
    except LookupError:
        pass


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """DRF authentication for `Authorization: Bearer <JWT>`: machine clients and people alike.

    Success: request.user is the subject's Django user, request.auth the verified claims."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            return self._fail(request, "The Authorization header must be 'Bearer <token>'.")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            return self._fail(request, "The token contains invalid characters.")
        try:
            claims = decode_access_token(token)
            user = user_for_claims(claims)
        except InvalidToken as exc:
            return self._fail(request, str(exc.detail))
        _attach_audit_actor(user)
        return user, claims

    def _fail(self, request, description):
        request._bearer_error = description
        raise InvalidToken(description)

    def authenticate_header(self, request):
        # RFC 6750: say which realm, and why a presented token was refused.
        error = getattr(request, "_bearer_error", None)
        if error:
            description = error.replace('"', "'")
            return f'Bearer realm="eximee", error="invalid_token", error_description="{description}"'
        return 'Bearer realm="eximee"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Names the scheme in the OpenAPI document (/v1/schema/), so clients know to send a JWT."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                "description": "An access token from the OpenID provider (docs/security.md)."}
