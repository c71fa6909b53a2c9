import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from campaigns.models import Campaign
from statements.models import Statement

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_fills_an_empty_site_once_and_prints_a_working_login(client):
    first = run_demo()
    assert "Demo data created" in first
    statuses = set(Statement.objects.values_list("status", flat=True))
    assert statuses == {"published", "retracted", "scheduled", "signoff"}
    retracted = Statement.objects.get(status="retracted")
    assert retracted.corrected_by.status == "published"
    count = Statement.objects.count()

    second = run_demo()
    assert "Demo data already present" in second
    assert Statement.objects.count() == count

    password = second.rsplit("password: ", 1)[1].strip()
    assert authenticate(username="staff", password=password).is_superuser
    assert password not in first

    for statement in Statement.objects.all():
        expected = 200 if statement.is_public() else 404
        assert client.get(statement.get_absolute_url()).status_code == expected, statement.slug

    # The active campaign asks readers to act: every kind but sharing, each live.
    campaign = Campaign.objects.get(is_active=True)
    calls = client.get(campaign.get_absolute_url()).context["calls_to_action"]
    assert [call.kind for call in calls] == ["contact", "cosign", "attend", "donate", "read_more"]
    ended = Campaign.objects.get(is_active=False)
    assert [c.schedule_state() for c in ended.calls_to_action.all()] == ["expired"]
