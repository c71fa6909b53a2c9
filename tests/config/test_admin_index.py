"""The admin's front page: what needs staff now, the latest statements, the main actions,
then the model lists with statements first."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from press.models import Delivery, Distribution
from statements.models import SignoffAnswer, SignoffEvent, Statement
from statements.services import signoff
from tests.factories import (
    confirmed,
    make_distribution,
    make_journalists,
    make_open_statement,
    make_signed_statement,
    make_statement,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def needs_you(html: str) -> str:
    return html.split('id="workspace-now"', 1)[1].split('id="workspace-latest"', 1)[0]


def test_it_shows_signatures_awaiting_moderation_with_a_link_to_the_queue(staff_client):
    statement = make_open_statement(cosign_auto_approve=False)
    confirmed(statement)
    confirmed(
        statement,
        signer_email="b@beta.example.org",
        organization_name="Beta Group",
        website="https://beta.example.org",
    )
    html = needs_you(staff_client.get(INDEX).text)
    assert "2 signatures await moderation" in html
    assert reverse("admin:statements_pendingsignature_changelist") in html


def test_it_shows_sign_offs_waiting_per_statement(staff_client, staff):
    statement, contacts = make_signed_statement(title="Stop the strikes")
    signoff.signoff_requests_send(
        statement=statement,
        contacts=contacts[:2],
        deadline=timezone.now() + datetime.timedelta(days=3),
        by=staff,
    )
    html = needs_you(staff_client.get(INDEX).text)
    assert "Stop the strikes" in html
    assert "sign-off awaited from 2 contacts" in html
    assert reverse("admin:statements_statement_signoff", args=[statement.pk]) in html


def test_it_shows_a_sign_off_declined_on_the_current_version(staff_client, staff):
    statement, contacts = make_signed_statement(title="Declined text")
    [request] = signoff.signoff_requests_send(
        statement=statement,
        contacts=contacts[:1],
        deadline=timezone.now() + datetime.timedelta(days=3),
        by=staff,
    )
    SignoffAnswer.objects.create(
        request=request,
        version=request.version,
        organization=request.organization,
        contact=request.contact,
        decision=SignoffAnswer.Decision.DECLINED,
        comment="Not with this paragraph.",
    )
    html = needs_you(staff_client.get(INDEX).text)
    assert "Declined text" in html
    assert "declined by 1 organization" in html
    assert "sign-off awaited" not in html


def test_it_shows_a_scheduled_publication_in_the_sites_time_zone(staff_client, settings):
    settings.TIME_ZONE = "Europe/Istanbul"
    make_statement(
        title="Due on Friday",
        status=Statement.Status.SCHEDULED,
        publish_at=datetime.datetime(2030, 7, 12, 9, 0, tzinfo=datetime.UTC),
    )
    html = needs_you(staff_client.get(INDEX).text)
    # 09:00 UTC is noon in Istanbul; the sentence ends once ("12:00." not "p.m..").
    scheduled = r"Due on Friday</bdi></a> is scheduled for publication on\s+12 July 2030, 12:00\.<"
    assert re.search(scheduled, html)


def test_it_shows_a_held_back_publication(staff_client):
    statement = make_statement(title="Held one")
    SignoffEvent.objects.create(statement=statement, kind=SignoffEvent.Kind.SCHEDULED)
    SignoffEvent.objects.create(
        statement=statement, kind=SignoffEvent.Kind.HELD, note="Not approved."
    )
    html = needs_you(staff_client.get(INDEX).text)
    assert "The scheduled publication of" in html and "Held one" in html


def test_it_shows_distributions_sending_or_failed(staff_client):
    sending = make_distribution(subject="Going out", status=Distribution.Status.SENDING)
    failed = make_distribution(
        subject="Partly failed", status=Distribution.Status.DONE, finished_at=timezone.now()
    )
    journalist = make_journalists(1)[0]
    Delivery.objects.create(
        distribution=failed, contact=journalist, email=journalist.email,
        state=Delivery.State.FAILED,
    )  # fmt: skip
    make_distribution(subject="Long done", status=Distribution.Status.DONE)
    html = needs_you(staff_client.get(INDEX).text)
    assert "Going out" in html and "is sending" in html
    assert "Partly failed" in html and "1 delivery failed." in html
    assert "Long done" not in html
    assert reverse("admin:press_distribution_change", args=[sending.pk]) in html


def test_it_says_when_nothing_waits(staff_client):
    assert "Nothing is waiting for you." in staff_client.get(INDEX).text


def test_it_offers_the_main_actions_before_the_model_lists(staff_client):
    html = staff_client.get(INDEX).text
    new = html.index(reverse("admin:statements_statement_add") + '">New statement')
    assert new < html.index('id="workspace-now"') < html.index('class="app-list"')


def test_it_lists_the_latest_statements(staff_client):
    make_statement(title="Older one")
    make_statement(title="Newest one")
    latest = staff_client.get(INDEX).text.split('id="workspace-latest"', 1)[1]
    assert latest.index("Newest one") < latest.index("Older one")


def test_statements_come_before_authentication(staff_client):
    apps = [app["app_label"] for app in staff_client.get(INDEX).context["app_list"]]
    assert apps[0] == "statements"
    assert apps[-2:] == ["auth", "axes"]


def test_it_costs_the_same_queries_however_much_is_waiting(staff_client, django_assert_num_queries):
    staff_client.get(INDEX)
    for n in range(3):
        make_signed_statement(names=[f"Org {n}a", f"Org {n}b"])
        confirmed(make_open_statement(cosign_auto_approve=False))
        make_statement(status=Statement.Status.SCHEDULED, publish_at=timezone.now())
        make_distribution(status=Distribution.Status.SENDING)
    # Session and user, then: moderation count, sign-offs, scheduled, distributions,
    # held back, latest statements; the staff member's recent actions; the session saved
    # with its new expiry (SignedInSessionMiddleware), in a savepoint.
    with django_assert_num_queries(12):
        staff_client.get(INDEX)


def test_outsiders_are_sent_to_log_in(client):
    response = client.get(INDEX)
    assert response.status_code == 302


def test_the_front_page_speaks_the_staff_members_language(staff_client, settings):
    make_statement(
        title="Due on Friday",
        status=Statement.Status.SCHEDULED,
        publish_at=datetime.datetime(2030, 7, 12, 9, 0, tzinfo=datetime.UTC),
    )
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = staff_client.get(INDEX).text
    assert "ما ينتظرك الآن" in html
    assert "النشر مجدول لـ" in html
    assert "What needs you now" not in html
