import pytest

from configuration.models import ConfigProperty


@pytest.fixture
def loan_portal(db):
    rows = [
        ("default", "ui.theme", "string", "light", False),
        ("default", "limits.maxAmount", "number", "200000", False),
        ("default", "features.instantDecision", "boolean", "false", False),
        ("default", "scoring.apiKey", "string", "dev-key", True),
        ("prod", "features.instantDecision", "boolean", "true", False),
        ("prod", "scoring.apiKey", "string", "prod-key-123", True),
        ("prod", "retry", "json", '{"attempts": 3, "backoff": [1, 5]}', False),
    ]
    for profile, key, kind, text, secret in rows:
        prop = ConfigProperty(application="loan-portal", profile=profile, key=key, value_type=kind, secret=secret,
                              **({"secret_value": text} if secret else {"value": text}))
        prop.full_clean()
        prop.save()
    ConfigProperty.objects.create(application="other-app", key="ui.theme", value="dark")
