"""The press desk in the admin: counts before confirming, a test copy, stopping a send."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations.models import Suppression
from organizations.services import suppression_add
from press import services as press
from press.models import Delivery, Distribution
from press.tasks import send_deliveries, sweep_deliveries
from tests.factories import make_distribution, make_journalists

pytestmark = pytest.mark.django_db


def test_staff_see_counts_then_confirm_in_the_admin(
    staff_client, desk, django_capture_on_commit_callbacks
):
    make_journalists(3, desk)
    suppression_add(email="j2@news.example.org", reason=Suppression.Reason.HARD_BOUNCE)
    distribution = make_distribution(lists=[desk])
    url = reverse("admin:press_distribution_confirm", args=[distribution.pk])
    html = staff_client.get(url).content.decode()
    assert "<strong>2</strong> journalists will receive it; <strong>1</strong> suppressed" in html
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url)
    assert len(mail.outbox) == 2
    change = staff_client.get(reverse("admin:press_distribution_change", args=[distribution.pk]))
    assert "sent: 2" in change.content.decode()


def test_staff_send_themselves_a_test_copy(staff_client, desk, django_capture_on_commit_callbacks):
    make_journalists(3, desk)
    distribution = make_distribution(lists=[desk])
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:press_distribution_test", args=[distribution.pk]))
    [message] = mail.outbox
    assert message.to == ["editor@example.org"]
    assert message.subject == "[Test] Joint statement"
    assert not Delivery.objects.exists()


def test_staff_stop_a_distribution_and_nobody_else_receives_it(client, staff, outsider, desk):
    make_journalists(30, desk)
    distribution = make_distribution(lists=[desk])
    press.distribution_confirm(distribution=distribution)  # rows written, tasks never run
    ids = list(distribution.deliveries.order_by("pk").values_list("pk", flat=True))
    assert send_deliveries.delay(distribution.pk, ids[0], ids[9]).get() == 10
    cancel = reverse("admin:press_distribution_cancel", args=[distribution.pk])

    client.force_login(outsider)
    assert client.post(cancel).status_code == 302  # to the login page
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.SENDING

    client.force_login(staff)
    page = client.get(cancel)
    assert "Sent so far: <strong>10</strong>. Not sent yet: <strong>20</strong>" in page.text
    response = client.post(cancel)
    assert response.status_code == 302
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.CANCELLED
    assert press.delivery_progress(distribution)["cancelled"] == 20

    assert send_deliveries.delay(distribution.pk, ids[0], ids[-1]).get() == 0
    assert sweep_deliveries.delay().get() == 0
    assert len(mail.outbox) == 10
    with pytest.raises(ValidationError) as refused:
        press.distribution_cancel(distribution=distribution)
    assert refused.value.code == "not_cancellable"
