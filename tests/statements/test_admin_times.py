"""Times in the admin and its messages are the site's (TIME_ZONE), spelled as the admin
spells them; the custom pages' date and time boxes are the admin's own."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from statements.models import Statement
from tests.factories import (
    make_call_to_action,
    make_distribution,
    make_signed_statement,
    make_statement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_istanbul(settings):
    settings.TIME_ZONE = "Europe/Istanbul"
    timezone.deactivate()


def page(name: str, statement: Statement) -> str:
    return reverse(f"admin:statements_statement_{name}", args=[statement.pk])


def test_scheduling_says_when_in_the_sites_time_zone(staff_client):
    statement = make_statement()
    # Typed in Istanbul time: 12:00 there is 09:00 UTC.
    response = staff_client.post(
        page("publish", statement),
        {"when": "later", "publish_at_0": "2030-07-12", "publish_at_1": "12:00"},
    )
    statement.refresh_from_db()
    assert statement.publish_at == datetime.datetime(2030, 7, 12, 9, 0, tzinfo=datetime.UTC)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == f"“{statement.title}” will be published at July 12, 2030, noon."


def test_the_status_of_a_scheduled_statement_is_in_the_sites_time_zone(staff_client):
    statement = make_statement(
        status=Statement.Status.SCHEDULED,
        publish_at=datetime.datetime(2030, 7, 12, 6, 30, tzinfo=datetime.UTC),
    )
    html = staff_client.get(page("change", statement)).text
    assert "Scheduled for July 12, 2030, 9:30 a.m." in html


@pytest.mark.parametrize("name", ["publish", "signoff_request"])
def test_the_custom_pages_use_the_admins_date_and_time_widgets(staff_client, name):
    statement, _contacts = make_signed_statement()
    html = staff_client.get(page(name, statement)).text
    field = "publish_at" if name == "publish" else "deadline"
    assert f'name="{field}_0" class="vDateField"' in html
    assert f'name="{field}_1" class="vTimeField"' in html
    assert "admin/js/admin/DateTimeShortcuts.js" in html
    assert "admin/js/calendar.js" in html
    assert reverse("admin:jsi18n") in html
    assert "Time zone: Europe/Istanbul." in html


def test_the_distribution_form_uses_the_admins_date_and_time_widgets(staff_client):
    distribution = make_distribution()
    html = staff_client.get(reverse("admin:press_distribution_change", args=[distribution.pk])).text
    assert 'name="send_at_0" class="vDateField"' in html
    assert "admin/js/admin/DateTimeShortcuts.js" in html


@pytest.mark.parametrize("name", ["publish", "signoff_request", "signoff", "retract"])
def test_the_custom_pages_have_the_admins_breadcrumbs(staff_client, name):
    statement, _contacts = make_signed_statement(status=Statement.Status.PUBLISHED)
    html = staff_client.get(page(name, statement)).text
    crumbs = html.split('<ol class="breadcrumbs">', 1)[1].split("</ol>", 1)[0]
    for url in [
        reverse("admin:index"),
        reverse("admin:app_list", args=["statements"]),
        reverse("admin:statements_statement_changelist"),
        page("change", statement),
    ]:
        assert f'href="{url}"' in crumbs


def test_a_distribution_page_has_the_admins_breadcrumbs(staff_client):
    distribution = make_distribution()
    url = reverse("admin:press_distribution_confirm", args=[distribution.pk])
    crumbs = staff_client.get(url).text.split('<ol class="breadcrumbs">', 1)[1]
    assert f'href="{reverse("admin:app_list", args=["press"])}"' in crumbs.split("</ol>", 1)[0]


def test_a_call_to_actions_schedule_is_in_the_sites_time_zone(staff_client):
    make_call_to_action(
        title="Coming", starts_at=datetime.datetime(2030, 7, 12, 6, 30, tzinfo=datetime.UTC)
    )
    html = staff_client.get(reverse("admin:campaigns_calltoaction_changelist")).text
    assert "Scheduled: from July 12, 2030, 9:30 a.m." in html
