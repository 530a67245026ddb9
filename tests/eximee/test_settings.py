import os
import subprocess
import sys

from django.conf import settings

from tests.conftest import ROOT


def load_settings(**env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    full_env.update(env)
    code = ("import json, eximee.settings as s; print(json.dumps({'debug': s.DEBUG, "
            "'engine': s.DATABASES['default']['ENGINE'], 'name': s.DATABASES['default']['NAME'], "
            "'broker': s.CELERY_BROKER_URL, 'hosts': s.ALLOWED_HOSTS}))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True)


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_defaults_are_safe():
    import json

    result = load_settings(SECRET_KEY="s")
    config = json.loads(result.stdout)
    assert config["debug"] is False
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["broker"] == "filesystem://"


def test_services_come_from_the_environment():
    import json

    result = load_settings(SECRET_KEY="s", DATABASE_URL="postgres://u@db.internal:5433/eximee",
                           REDIS_URL="redis://cache.internal:6380/2", ALLOWED_HOSTS="api.bank.example,x",
                           DEBUG="true")
    config = json.loads(result.stdout)
    assert config["engine"] == "eximee.postgresql"   # Django's, with prepared statements
    assert config["name"] == "eximee"
    assert config["broker"] == "redis://cache.internal:6380/2"
    assert config["hosts"] == ["api.bank.example", "x"]
    assert config["debug"] is True


def test_prepared_statements_can_be_switched_off_for_a_connection_pooler():
    import json

    result = load_settings(SECRET_KEY="s", DATABASE_URL="postgres://u@db.internal:5433/eximee",
                           DB_PREPARED_STATEMENTS="false")
    assert json.loads(result.stdout)["engine"] == "django.db.backends.postgresql"


def test_the_test_suite_runs_on_postgres_and_redis():
    assert settings.USING_POSTGRES
    assert settings.CELERY_BROKER_URL.startswith("redis://")
