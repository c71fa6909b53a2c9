"""compose.yaml is a valid Compose file that runs Jointly the way the README says.

`docker compose config` cannot run here, so the file is checked against the Compose
Specification's own JSON schema (compose-spec.json, copied from
github.com/compose-spec/compose-spec at 170098b, schema/compose-spec.json, Apache-2.0),
then for what the schema cannot know.
"""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ["migrate", "web", "worker", "beat"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_it_follows_the_compose_specification(compose):
    schema = json.loads((Path(__file__).parent / "compose-spec.json").read_text())
    jsonschema.Draft7Validator(schema).validate(compose)


def test_it_runs_web_worker_beat_postgresql_and_redis(compose):
    assert set(compose["services"]) == {*APP_SERVICES, "db", "redis"}
    services = compose["services"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert "command" not in services["web"]  # the image's: gunicorn


def test_every_service_but_the_one_shot_migration_is_health_checked(compose):
    for name, service in compose["services"].items():
        if name == "migrate":
            assert service["healthcheck"] == {"disable": True}
        else:
            assert service["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}, name


def test_the_web_check_asks_the_liveness_endpoint(compose):
    assert "/health/live/" in " ".join(compose["services"]["web"]["healthcheck"]["test"])


def test_exactly_one_beat_runs(compose):
    assert compose["services"]["beat"]["deploy"]["replicas"] == 1


def test_the_migrations_run_once_before_web_and_the_workers(compose):
    services = compose["services"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    for name in ["web", "worker", "beat"]:
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert services["migrate"]["depends_on"]["db"] == {"condition": "service_healthy"}


def test_the_app_services_read_env_and_share_the_uploads_volume(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        assert "media:/var/lib/jointly/media" in service["volumes"]
        assert service["environment"]["DATABASE_URL"].endswith("@db:5432/jointly")
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert "db:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert set(compose["volumes"]) == {"db", "media"}


def test_the_uploads_volume_is_where_the_image_keeps_uploads():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"MEDIA_ROOT=/var/lib/jointly/media\b", dockerfile)
