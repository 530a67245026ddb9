from tests.oidc_fixtures import *  # noqa: F401,F403  (oidc_provider, oidc_settings)
