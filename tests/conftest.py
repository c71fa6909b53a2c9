import importlib
import uuid
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission, User
from django.utils import translation

from config.celery import app as celery_app
from core.breaker import redis_resume
from core.pagecache import forget_local_pages
from tests.support import free_port

# Every persona's password; the browser tests type it into the admin's login form.
PASSWORD = "a long enough test password"
# The apps whose models staff work on in the admin.
OUR_APPS = ["organizations", "campaigns", "statements", "press"]


def pytest_configure():
    # WhiteNoise warns at start-up when STATIC_ROOT is missing; the tests serve
    # static files through the finders and never run collectstatic.
    django_settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    # SQLite tests use a file, not shared memory: threads (the live server, a
    # worker, concurrent requests) then wait for each other's locks as they do
    # under `make run`, instead of failing at once.
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Tests change rows directly, where the site would go through a service that
    # renders cached pages again: the page cache is on only in its own tests.
    settings.PAGE_CACHE_SECONDS = 0
    forget_local_pages()
    # Each test starts with fresh rate limits, and with Redis taken for up.
    redis_resume()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }


@pytest.fixture(autouse=True)
def _in_the_default_language():
    # A request in Arabic leaves Arabic active in its thread, which the test client
    # shares with the test: each test starts in the default language again.
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _tasks_run_inline():
    """Tasks run where they are queued, unless a test starts a real worker."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@contextmanager
def celery_settings(**changes):
    """Change the Celery app's settings for a while, broker connections included."""
    saved = {key: celery_app.conf[key] for key in changes}
    celery_app.conf.update(changes)
    _forget_broker_state()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        _forget_broker_state()


def _forget_broker_state():
    # The app keeps a connection pool, and an AMQP helper with its queues, router
    # and producers, made from the settings of the moment: drop them.
    celery_app._after_fork()
    celery_app.__dict__.pop("amqp", None)


# The people the tests act as. Each is made in the database by the fixture; none is
# logged in unless its docstring says so.


@pytest.fixture
def staff() -> User:
    """A member of staff who may do anything in the admin: a superuser with an email address."""
    return User.objects.create_superuser("editor", "editor@example.org", PASSWORD)


@pytest.fixture
def staff_client(client, staff):
    """The test client, logged in as staff."""
    client.force_login(staff)
    return client


# The migrations that grant roles more after accounts/migrations/0002_roles.py, each
# with its GRANTS: group → app label → model → codenames.
LATER_GRANTS = [
    "accounts.migrations.0003_individual_signers",
    "accounts.migrations.0004_after_release",
]


def role(name: str) -> Group:
    """A group accounts/migrations/0002_roles.py made, with its permissions and those
    later migrations granted it.

    A transactional test empties every table, these groups included: then it is made
    again from the migrations' own lists.
    """
    group, created = Group.objects.get_or_create(name=name)
    if created:
        roles = importlib.import_module("accounts.migrations.0002_roles")
        grants = [
            (app_label, model, [roles._codename(action, model) for action in actions])
            for app_label, models in roles.ROLES[name].items()
            for model, actions in models.items()
        ]
        for module in LATER_GRANTS:
            later = importlib.import_module(module).GRANTS.get(name, {})
            grants += [
                (app_label, model, codenames)
                for app_label, models in later.items()
                for model, codenames in models.items()
            ]
        for app_label, model, codenames in grants:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename__in=codenames,
                )
            )
    return group


def role_member(username: str, name: str) -> User:
    """Staff in one role, and no other permission."""
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.add(role(name))
    return user


@pytest.fixture
def editor() -> User:
    """Drafts and edits statements, imports releases, requests sign-off; never publishes."""
    return role_member("role-editor", "Editor")


@pytest.fixture
def publisher() -> User:
    """An editor who also publishes, schedules, archives, retracts and overrides sign-off."""
    return role_member("role-publisher", "Publisher")


@pytest.fixture
def press_officer() -> User:
    """Press lists, contacts, suppressions and distributions: prepares, tests, sends, stops."""
    return role_member("role-press", "Press officer")


@pytest.fixture
def moderator() -> User:
    """The co-sign moderation queue, staff-added signatures and signatory exports."""
    return role_member("role-moderator", "Moderator")


@pytest.fixture
def viewer(client) -> User:
    """Staff who may only look: every view permission on our apps' models and nothing else.

    The test client is logged in as them.
    """
    user = User.objects.create_user("viewer", "viewer@example.org", PASSWORD, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=OUR_APPS, codename__startswith="view_"
        )
    )
    client.force_login(user)
    return user


@pytest.fixture
def outsider(client) -> User:
    """Someone with an account who is not staff. The test client is logged in as them."""
    user = User.objects.create_user("outsider", "outsider@example.org", PASSWORD)
    client.force_login(user)
    return user


@pytest.fixture
def celery_worker(tmp_path, _tasks_run_inline):
    """A real Celery worker in a thread, fed through the configured broker.

    The broker is Redis when REDIS_URL is set (as in CI) and the folder
    transport of `make run` otherwise, then in a folder of the test's own.
    Tests using it need django_db(transaction=True): the worker reads what the
    test committed.
    """
    changes = {
        "task_always_eager": False,
        # A queue of our own, so a developer's running worker cannot take our tasks.
        "task_default_queue": f"test-{uuid.uuid4().hex}",
    }
    if celery_app.conf.broker_url.startswith("filesystem"):
        folder = tmp_path / "broker"
        folder.mkdir()
        changes["broker_transport_options"] = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(tmp_path / "control"),
        }
    with celery_settings(**changes):
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield
        # What the stopped worker put back (a retry, say) must not stay in Redis.
        celery_app.control.purge()


@pytest.fixture
def page_cache(settings):
    """The page cache on, in Redis when the tests have one (as in CI), keys apart."""
    settings.PAGE_CACHE_SECONDS = 600
    if settings.REDIS_URL:
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": settings.REDIS_URL,
                "KEY_PREFIX": uuid.uuid4().hex,
            }
        }


@pytest.fixture
def smtp_port(settings) -> int:
    """A free port Django's SMTP mailer sends to; the test decides when a server listens."""
    port = free_port()
    # Set here, not in settings.py: the test runner swapped MAILERS for locmem.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    return port


@pytest.fixture
def finished():
    """What each task the worker ran returned, by task id."""
    results: dict[str, object] = {}

    def record(task_id, retval, **kwargs):
        results[task_id] = retval

    task_postrun.connect(record, weak=False)
    yield results
    task_postrun.disconnect(record)
