"""The pages a press email links to: one-click unsubscribe and the embargoed preview."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from organizations.models import Suppression
from press import services as press
from press.models import Distribution
from statements.services import lifecycle
from tests.factories import make_distribution, make_journalists, make_statement
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def test_unsubscribing_needs_a_post_and_works_without_cookies(
    client, desk, django_capture_on_commit_callbacks, staff
):
    make_journalists(1, desk)
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=make_distribution(lists=[desk]), by=staff)
    path = link_in_mail("/press/unsubscribe/").removeprefix(SITE)
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop our press emails to" in page.content.decode()
    assert not Suppression.objects.exists()
    # A provider's one-click POST: no cookie, no CSRF token.
    csrf_client = type(client)(enforce_csrf_checks=True)
    response = csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "is now unsubscribed" in response.content.decode()
    assert Suppression.objects.active().get().email == "j0@news.example.org"
    again = csrf_client.post(path)
    assert "is already unsubscribed" in again.content.decode()
    assert Suppression.objects.count() == 1


def test_under_embargo_the_email_says_so_and_links_to_a_private_preview(
    client, desk, django_capture_on_commit_callbacks, staff
):
    make_journalists(1, desk)
    statement = make_statement(title="Embargoed words")
    embargo = timezone.now() + datetime.timedelta(hours=5)
    lifecycle.statement_schedule(statement=statement, publish_at=embargo, by=staff)
    distribution = make_distribution(statement, lists=[desk], when=Distribution.When.NOW)
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=distribution, by=staff)
    [message] = mail.outbox
    local_embargo = timezone.localtime(embargo)
    assert message.subject.startswith(
        f"EMBARGOED UNTIL {local_embargo:%-d %B %Y, %H:%M} Coordinated Universal Time"
    )
    assert message.body.startswith("EMBARGOED UNTIL")
    preview = link_in_mail("/press/preview/", message).removeprefix(SITE)
    response = client.get(preview)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Embargoed words" in response.content.decode()
    assert client.get(statement.get_absolute_url()).status_code == 404

    lifecycle.statements_publish_due(now=embargo + datetime.timedelta(seconds=1))
    after = client.get(preview)
    assert after.status_code == 302
    assert after["Location"] == statement.get_absolute_url()
