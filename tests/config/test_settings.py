"""Settings come from the environment and refuse what they cannot understand."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
    "DEBUG": "0",
    "SITE_URL": "https://statements.example.org",
    "DATABASE_URL": "postgres://jointly@db.example.org:5432/jointly",
    "REDIS_URL": "redis://cache.example.org:6379/0",
    "EMAIL_HOST": "smtp.example.org",
    "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what the process needs to start: nothing leaks in from the test run.
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"]} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_checklist_passes_when_the_proxy_in_front_redirects_to_https():
    # What the README advises behind a proxy that redirects HTTP to HTTPS itself.
    env = PRODUCTION | {"SECURE_SSL_REDIRECT": "0"}
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "check", "words"),
    [
        ("RATELIMIT_IP_META_KEY", "jointly.W001", "over a Unix socket it is empty"),
        ("REDIS_URL", "jointly.W002", "each process counts the co-sign rate limits on its own"),
    ],
)
def test_the_checklist_warns_of_what_production_needs(missing, check, words, tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != missing} | {"JOINTLY_VAR_DIR": str(tmp_path)}
    result = manage("check", "--deploy", env=env)
    assert f"({check})" in result.stderr, result.stdout + result.stderr
    assert words in " ".join(result.stderr.split())
    # A warning, not an error: the commands still run.
    assert result.returncode == 0
    assert manage("check", env=env).returncode == 0


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be one of"),
        ("SECRET_KEY", "", "SECRET_KEY must be set when DEBUG is off"),
        ("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL must be a postgres:// URL"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must be a redis://"),
        ("SITE_URL", "statements.example.org", "SITE_URL must be an absolute http(s) URL"),
        ("EMAIL_PORT", "five-eight-seven", "EMAIL_PORT must be a whole number"),
        ("COSIGN_RATE_PER_IP", "lots", "COSIGN_RATE_PER_IP must look like 20/h"),
        ("LOGIN_FAILURE_LIMIT", "0", "LOGIN_FAILURE_LIMIT must be at least 1"),
        ("LOGIN_LOCKOUT_MINUTES", "half an hour", "LOGIN_LOCKOUT_MINUTES must be a whole number"),
        ("STAFF_SESSION_IDLE_MINUTES", "-5", "STAFF_SESSION_IDLE_MINUTES must be at least 1"),
        ("STAFF_2FA_REQUIRED", "sometimes", "STAFF_2FA_REQUIRED must be one of"),
        ("PROXY_CACHE_SECONDS", "-1", "PROXY_CACHE_SECONDS must be at least 0"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json"),
        ("SENTRY_TRACES_SAMPLE_RATE", "some", "SENTRY_TRACES_SAMPLE_RATE must be a number"),
        ("SENTRY_TRACES_SAMPLE_RATE", "2", "SENTRY_TRACES_SAMPLE_RATE must be a number"),
        ("CELERY_TASK_TIME_LIMIT", "0", "CELERY_TASK_TIME_LIMIT must be at least 1"),
        ("CELERY_TASK_SOFT_TIME_LIMIT", "900", "must be less than CELERY_TASK_TIME_LIMIT"),
    ],
)
def test_a_value_it_cannot_understand_stops_start_up(name, value, message):
    result = manage("check", env=PRODUCTION | {name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_the_sign_in_limits_and_the_idle_time_come_from_the_environment(tmp_path):
    env = PRODUCTION | {
        "LOGIN_FAILURE_LIMIT": "7",
        "LOGIN_LOCKOUT_MINUTES": "90",
        "STAFF_SESSION_IDLE_MINUTES": "15",
        "JOINTLY_VAR_DIR": str(tmp_path),
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.SESSION_COOKIE_AGE)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.split() == ["7", "1:30:00", "900"], result.stderr


@pytest.mark.parametrize(
    ("env", "required"),
    [
        (PRODUCTION, "True"),
        # `make run`: its demo logins work without a second factor.
        ({"DEBUG": "1"}, "False"),
        (PRODUCTION | {"STAFF_2FA_REQUIRED": "off"}, "False"),
        ({"DEBUG": "1", "STAFF_2FA_REQUIRED": "yes"}, "True"),
    ],
)
def test_two_factor_sign_in_is_required_unless_debug_is_on_or_it_is_turned_off(
    env, required, tmp_path
):
    code = "from django.conf import settings as s; print(s.STAFF_2FA_REQUIRED)"
    result = manage(
        "shell", "--no-imports", "-c", code, env=env | {"JOINTLY_VAR_DIR": str(tmp_path)}
    )
    assert result.stdout.split() == [required], result.stderr


def test_an_unknown_email_provider_stops_start_up():
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"}
    result = manage("check", env=env | {"EMAIL_PROVIDER": "carrier-pigeon"})
    assert result.returncode != 0
    assert "EMAIL_PROVIDER must be one of" in result.stderr


@pytest.mark.parametrize(
    ("service", "missing"),
    [
        ({"EMAIL_PROVIDER": "postmark"}, "EMAIL_PROVIDER_WEBHOOK_SECRET"),
        ({"EMAIL_PROVIDER": "mailgun", "EMAIL_PROVIDER_WEBHOOK_SECRET": "hook:secret"},
         "EMAIL_PROVIDER_WEBHOOK_SIGNING_KEY"),
    ],
)  # fmt: skip
def test_an_email_service_whose_webhook_anyone_could_call_fails_the_checks(service, missing):
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"} | service
    result = manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.parametrize(
    "service",
    [
        {"EMAIL_PROVIDER": "postmark", "EMAIL_PROVIDER_WEBHOOK_SECRET": "hook:secret"},
        {"EMAIL_PROVIDER": "mandrill", "EMAIL_PROVIDER_WEBHOOK_SIGNING_KEY": "mandrill-key"},
    ],
)
def test_an_email_service_with_its_webhook_secret_passes_the_deployment_checklist(service):
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"} | service
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_bucket_uploads_stay_on_the_disk(tmp_path):
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.STORAGES['default']['BACKEND'], s.SECURE_CSP['img-src']]))"
    )
    env = PRODUCTION | {"JOINTLY_VAR_DIR": str(tmp_path)}
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert json.loads(result.stdout) == [
        "django.core.files.storage.FileSystemStorage",
        ["'self'", "data:"],
    ], result.stderr


@pytest.mark.parametrize(
    ("variables", "origin", "options"),
    [
        (
            {"S3_REGION": "eu-west-3"},
            "https://jointly-media.s3.eu-west-3.amazonaws.com",
            {"addressing_style": "virtual", "endpoint_url": None, "querystring_auth": False},
        ),
        (
            {"S3_ENDPOINT_URL": "https://minio.example.org:9000", "S3_QUERYSTRING_AUTH": "1"},
            "https://minio.example.org:9000",
            {"addressing_style": "path", "querystring_auth": True, "custom_domain": None},
        ),
        (
            {"S3_PUBLIC_URL": "https://media.example.org/jointly/"},
            "https://media.example.org",
            {"custom_domain": "media.example.org/jointly", "url_protocol": "https:"},
        ),
    ],
)
def test_a_bucket_takes_the_uploads_and_the_pages_may_show_its_images(
    variables, origin, options, tmp_path
):
    env = (
        PRODUCTION
        | {
            "S3_BUCKET": "jointly-media",
            "S3_ACCESS_KEY_ID": "key-id",
            "S3_SECRET_ACCESS_KEY": "secret",
            "JOINTLY_VAR_DIR": str(tmp_path),
        }
        | variables
    )
    code = (
        "import json; from django.conf import settings as s; "
        "from django.core.files.storage import default_storage as d; "
        "print(json.dumps([s.STORAGES['default'], s.SECURE_CSP['img-src'], d.url('logos/a.png')]))"
    )
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    storage, img_src, url = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    found = storage["OPTIONS"]
    assert found["bucket_name"] == "jointly-media"
    assert (found["access_key"], found["secret_key"], found["file_overwrite"]) == (
        "key-id",
        "secret",
        False,
    )
    assert {name: found.get(name) for name in options} == options
    assert img_src == ["'self'", "data:", origin]
    # What the pages link to is at the origin the CSP allows.
    assert url.startswith(origin + "/")
    assert manage("check", "--deploy", "--fail-level", "DEBUG", env=env).returncode == 0


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"S3_ENDPOINT_URL": "minio:9000"}, "S3_ENDPOINT_URL must be an absolute http(s) URL"),
        ({"S3_PUBLIC_URL": "media.example.org"}, "S3_PUBLIC_URL must be an absolute http(s) URL"),
        (
            {"S3_PUBLIC_URL": "https://media.example.org", "S3_QUERYSTRING_AUTH": "on"},
            "S3_PUBLIC_URL and S3_QUERYSTRING_AUTH cannot both be on",
        ),
        ({"S3_QUERYSTRING_AUTH": "perhaps"}, "S3_QUERYSTRING_AUTH must be one of"),
    ],
)
def test_a_bucket_setting_it_cannot_understand_stops_start_up(variables, message):
    result = manage("check", env=PRODUCTION | {"S3_BUCKET": "jointly-media"} | variables)
    assert result.returncode != 0
    assert message in result.stderr


CELERY_CONFIG = (
    "from config.celery import app; from press.tasks import send_deliveries as s; c = app.conf; "
    "print(c.task_acks_late, c.task_reject_on_worker_lost, c.worker_prefetch_multiplier, "
    "c.task_soft_time_limit, c.task_time_limit, s.soft_time_limit, s.time_limit, "
    "c.beat_scheduler, c.broker_transport_options.get('visibility_timeout'))"
)


def test_celery_takes_one_task_at_a_time_acknowledges_it_at_the_end_and_stops_a_hung_one(
    tmp_path,
):
    env = PRODUCTION | {"JOINTLY_VAR_DIR": str(tmp_path)}
    result = manage("shell", "--no-imports", "-c", CELERY_CONFIG, env=env)
    assert result.stdout == "True True 1 600 720 720 720 redbeat.RedBeatScheduler 780\n", (
        result.stderr
    )
    # A slow global rate gives press sends longer: twice 500 rows at 50 a minute.
    slow = env | {"PRESS_RATE_PER_MINUTE": "50", "CELERY_TASK_SOFT_TIME_LIMIT": "100"}
    result = manage("shell", "--no-imports", "-c", CELERY_CONFIG, env=slow)
    assert result.stdout == "True True 1 100 720 1200 1200 redbeat.RedBeatScheduler 1260\n", (
        result.stderr
    )


def test_without_redis_one_beat_keeps_its_schedule_in_a_file(tmp_path):
    env = {"DEBUG": "1", "JOINTLY_VAR_DIR": str(tmp_path)}
    result = manage("shell", "--no-imports", "-c", CELERY_CONFIG, env=env)
    assert result.stdout.split()[7:] == ["celery.beat:PersistentScheduler", "None"], result.stderr


def test_error_reports_are_off_without_a_dsn_and_on_with_one(tmp_path):
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    env = PRODUCTION | {"JOINTLY_VAR_DIR": str(tmp_path)}
    assert manage("shell", "--no-imports", "-c", code, env=env).stdout.strip() == "False"
    dsn = {"SENTRY_DSN": "https://public@errors.example.org/1"}
    assert manage("shell", "--no-imports", "-c", code, env=env | dsn).stdout.strip() == "True"
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=env | dsn)
    assert result.returncode == 0, result.stdout + result.stderr
