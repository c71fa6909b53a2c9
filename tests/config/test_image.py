"""The image builds, and what it holds runs: a smoke test of the Dockerfile.

No container can run here, so the image is built on a debootstrap base with podman
(scripts/image.sh), its file system is mounted (podman create + podman mount), and
its own Python, code and settings are run through chroot, as its non-root user and
with production settings, against this machine's PostgreSQL and Redis.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
TAG = "localhost/jointly:smoke-test"
SITE_HOST = "statements.example.org"

pytestmark = [
    pytest.mark.image,
    pytest.mark.skipif(os.geteuid() != 0, reason="podman mount and chroot need root"),
    pytest.mark.skipif(not shutil.which("podman"), reason="needs podman (make test installs it)"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres")
        or not os.environ.get("REDIS_URL"),
        reason="runs the image against PostgreSQL and Redis: needs DATABASE_URL and REDIS_URL",
    ),
]


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, str]:
    # As the TLS proxy would ask: the site's host, over HTTPS.
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": SITE_HOST, "X-Forwarded-Proto": "https", "X-Real-IP": "192.0.2.1"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def image() -> dict:
    # Not captured here, so that pytest shows the build's output when it fails.
    subprocess.run([ROOT / "scripts" / "image.sh", TAG], check=True, timeout=1500)
    return json.loads(run("podman", "image", "inspect", TAG).stdout)[0]["Config"]


@pytest.fixture(scope="module")
def rootfs(image):
    """The image's file system, with /proc and /dev for the processes run in it."""
    container = run("podman", "create", TAG).stdout.strip()
    mounted = Path(run("podman", "mount", container).stdout.strip())
    try:
        run("mount", "-t", "proc", "proc", str(mounted / "proc"))
        run("mount", "--rbind", "/dev", str(mounted / "dev"))
        run("mount", "--make-rslave", str(mounted / "dev"))
        yield mounted
    finally:
        subprocess.run(["umount", "-R", str(mounted / "dev")], check=False)
        subprocess.run(["umount", str(mounted / "proc")], check=False)
        subprocess.run(["podman", "umount", container], check=False)
        subprocess.run(["podman", "rm", "--force", container], check=False, capture_output=True)


@pytest.fixture(scope="module")
def database_url():
    """A database of its own on this machine's PostgreSQL, dropped afterwards."""
    base = urlsplit(os.environ["DATABASE_URL"])
    name = base.path.lstrip("/") + "_image"
    url = urlunsplit(base._replace(path=f"/{name}"))
    server = ["-h", base.hostname, "-p", str(base.port or 5432), "-U", base.username]
    run("dropdb", "--if-exists", *server, name)
    run("createdb", *server, name)
    yield url
    subprocess.run(["dropdb", "--if-exists", "--force", *server, name], check=False)


@pytest.fixture(scope="module")
def environment(image, database_url) -> dict:
    """The image's own environment, with the settings a production host would give."""
    variables = dict(entry.split("=", 1) for entry in image["Env"])
    return variables | {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": f"https://{SITE_HOST}",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ["REDIS_URL"],
        "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
        "EMAIL_HOST": "127.0.0.1",
    }


def in_image(rootfs: Path, image: dict, command: list[str]) -> list[str]:
    """A command run in the image, as its user, from its working folder."""
    user = run("chroot", str(rootfs), "id", "-u", image["User"]).stdout.strip()
    script = f'cd {image["WorkingDir"]} && exec "$@"'
    return ["chroot", f"--userspec={user}:{user}", str(rootfs), "sh", "-c", script, "sh", *command]


@pytest.fixture(scope="module")
def started(rootfs, image, environment, tmp_path_factory):
    """Its gunicorn (the image's own command, on a free port) and a Celery worker."""
    logs = tmp_path_factory.mktemp("image-logs")
    port = free_port()
    command = list(image["Cmd"])
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    worker = f"smoke-{port}@jointly"
    run(*in_image(rootfs, image, ["python", "manage.py", "migrate", "--noinput"]), env=environment)
    commands = {
        "gunicorn": command,
        "celery": ["celery", "-A", "config", "worker", "-n", worker, "-c", "1", "-l", "WARNING"],
    }
    processes = [
        subprocess.Popen(
            in_image(rootfs, image, args),
            env=environment,
            start_new_session=True,
            stderr=(logs / f"{name}.log").open("w"),
        )
        for name, args in commands.items()
    ]
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(port, "/robots.txt")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer within a minute"
                assert all(process.poll() is None for process in processes)
                time.sleep(0.5)
        yield {"port": port, "worker": worker, "logs": logs}
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_it_runs_as_a_user_other_than_root_and_holds_no_secret(rootfs, image):
    assert image["User"] == "jointly"
    assert not any(entry.startswith("SECRET_KEY=") for entry in image["Env"])
    assert not (rootfs / "run" / "secrets" / "ca").exists()
    assert run("chroot", str(rootfs), "id", "-u", "jointly").stdout.strip() != "0"


def test_it_holds_its_compiled_translations_and_collected_static_files(rootfs):
    assert (rootfs / "app" / "locale" / "ar" / "LC_MESSAGES" / "django.mo").stat().st_size > 0
    assert (rootfs / "app" / "staticfiles" / "staticfiles.json").exists()
    assert not (rootfs / "app" / "tests").exists()


def test_its_deploy_checks_pass_with_production_settings(rootfs, image, environment):
    check = ["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = run(*in_image(rootfs, image, check), env=environment)
    assert "no issues" in result.stdout


def test_its_gunicorn_serves_pages_after_migrating(started):
    status, body = get(started["port"], "/health/live/")
    assert (status, body.strip()) == (200, "process: ok")
    status, body = get(started["port"], "/")
    assert status == 200
    assert "<html" in body
    status, body = get(started["port"], "/robots.txt")
    assert status == 200
    assert "Sitemap:" in body


def test_its_gunicorn_serves_the_collected_static_files(rootfs, started):
    manifest = json.loads((rootfs / "app" / "staticfiles" / "staticfiles.json").read_text())
    status, body = get(started["port"], "/static/" + manifest["paths"]["css/embed.css"])
    assert status == 200
    assert body == (ROOT / "static" / "css" / "embed.css").read_text()


def test_its_celery_worker_answers_a_ping(rootfs, image, environment, started):
    ping = ["celery", "-A", "config", "inspect", "ping", "--timeout", "5", "-d", started["worker"]]
    deadline = time.monotonic() + 60
    while True:
        result = subprocess.run(
            in_image(rootfs, image, ping), env=environment, capture_output=True, text=True
        )
        if result.returncode == 0:
            break
        assert time.monotonic() < deadline, result.stdout + result.stderr
        time.sleep(1)
    assert "pong" in result.stdout


def test_its_weasyprint_finds_pango_and_the_fonts_for_the_pdfs(rootfs, image, environment):
    pdf = "import weasyprint; print(len(weasyprint.HTML(string='<p>نص Text</p>').write_pdf()))"
    result = run(*in_image(rootfs, image, ["python", "-c", pdf]), env=environment)
    assert int(result.stdout) > 1000


def test_the_first_staff_account_is_made_as_the_readme_says(rootfs, image, environment, started):
    create = ["python", "manage.py", "createsuperuser", "--noinput"]
    create += ["--username", "first", "--email", "first@example.org"]
    password = {"DJANGO_SUPERUSER_PASSWORD": secrets.token_urlsafe(16)}
    run(*in_image(rootfs, image, create), env=environment | password)
    count = ["python", "manage.py", "shell", "--verbosity", "0", "-c"]
    count.append(
        "from django.contrib.auth.models import User; "
        "print(User.objects.filter(is_superuser=True).count())"
    )
    assert run(*in_image(rootfs, image, count), env=environment).stdout.strip() == "1"


def test_its_gunicorn_and_worker_log_no_error(started):
    for name in ["gunicorn", "celery"]:
        log = (started["logs"] / f"{name}.log").read_text()
        assert "ERROR" not in log, log
