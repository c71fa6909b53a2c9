"""A Redis that takes connections and never answers costs a request one wait at most."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import breaker
from statements.models import OutgoingEmail, Signature
from statements.services.outgoing import email_create
from tests.conftest import celery_settings
from tests.factories import cosign_data, make_open_statement
from tests.support import hung_server, redis_broker, redis_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_redis(settings):
    """The production cache and broker, pointing at a Redis that hangs."""
    with (
        hung_server() as server,
        celery_settings(task_always_eager=False, **redis_broker(server.url)),
    ):
        settings.CACHES = redis_cache(server.url)
        yield server


def test_a_co_sign_submission_waits_on_a_hung_redis_once_not_at_every_call(
    client, hung_redis, django_capture_on_commit_callbacks, caplog
):
    statement = make_open_statement()
    url = reverse("cosign", args=[statement.slug])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, cosign_data())
    assert first.status_code == 302
    # The first rate-limit count waited for Redis; the second one and the confirmation
    # email's task did not try it.
    assert hung_redis.connections() == 1
    assert "Redis failed" in caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, cosign_data(organization_name="Another group", website=""))
    assert second.status_code == 302
    assert hung_redis.connections() == 1
    # Both kept, their emails owed: the sweep queues them once Redis is back.
    assert Signature.objects.count() == 2
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 2


def test_a_task_is_not_published_moments_after_the_broker_failed(
    hung_redis, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        email_create(OutgoingEmail.Kind.COSIGN_DIGEST, ["staff@example.org"])
    tried = hung_redis.connections()
    assert tried >= 1
    assert "Could not queue email" in caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        email_create(OutgoingEmail.Kind.COSIGN_DIGEST, ["staff@example.org"])
    assert hung_redis.connections() == tried
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 2


def test_redis_is_tried_again_once_the_pause_is_over(hung_redis, monkeypatch):
    assert cache.get("some key", "missed") == "missed"
    assert cache.get("some key", "missed") == "missed"
    assert hung_redis.connections() == 1
    monkeypatch.setattr(breaker, "PAUSE_SECONDS", 0.0)
    breaker.redis_resume()
    for _ in range(2):
        assert cache.get("some key", "missed") == "missed"
    assert hung_redis.connections() == 3


def test_a_wrong_command_does_not_pause_redis(settings):
    # The test run's Redis when there is one: an answer that is an error is no outage.
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    settings.CACHES = redis_cache(settings.REDIS_URL)
    cache.set("a list?", "a string")
    with pytest.raises(Exception, match="WRONGTYPE"):
        cache.client.get_client().lpush(cache.make_key("a list?"), "x")
    assert not breaker.redis_paused()
    cache.delete("a list?")
