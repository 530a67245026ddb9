"""Demo data: configuration of application `loan-portal`, default and prod profiles, one secret."""

from .models import DEFAULT_PROFILE, ConfigProperty

PROPERTIES = [
    (DEFAULT_PROFILE, "ui.theme", ConfigProperty.STRING, "light", False),
    (DEFAULT_PROFILE, "loan.maxAmount", ConfigProperty.NUMBER, "500000", False),
    (DEFAULT_PROFILE, "loan.terms", ConfigProperty.JSON, "[12, 24, 36, 60, 120]", False),
    (DEFAULT_PROFILE, "features.instantDecision", ConfigProperty.BOOLEAN, "false", False),
    (DEFAULT_PROFILE, "scoring.url", ConfigProperty.STRING, "http://localhost:9000/scoring", False),
    ("prod", "features.instantDecision", ConfigProperty.BOOLEAN, "true", False),
    ("prod", "scoring.url", ConfigProperty.STRING, "https://scoring.bank.example/api", False),
    ("prod", "scoring.apiKey", ConfigProperty.STRING, "demo-secret-not-for-production", True),
]


def load():
    for profile, key, value_type, text, secret in PROPERTIES:
        ConfigProperty.objects.update_or_create(
            application="loan-portal", profile=profile, key=key,
            defaults={"value_type": value_type, "secret": secret, "value": "" if secret else text,
                      "secret_value": text if secret else ""})
    return ["loan-portal configuration (GET /v1/configuration/loan-portal/prod; scoring.apiKey is secret)"]
