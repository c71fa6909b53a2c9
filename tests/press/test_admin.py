"""The press desk in the admin: counts before confirming, a test copy, stopping a send."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from organizations.models import Contact, Suppression
from organizations.services import suppression_add
from press import services as press
from press.models import Delivery, Distribution
from press.tasks import send_deliveries, sweep_deliveries
from tests.factories import make_contact, make_distribution, make_journalists
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db


def test_staff_see_counts_then_confirm_in_the_admin(
    staff_client, desk, django_capture_on_commit_callbacks
):
    make_journalists(3, desk)
    suppression_add(email="j2@news.example.org", reason=Suppression.Reason.HARD_BOUNCE)
    distribution = make_distribution(lists=[desk])
    url = reverse("admin:press_distribution_confirm", args=[distribution.pk])
    html = staff_client.get(url).content.decode()
    assert "<strong>2</strong> journalists will receive it. <strong>1</strong> suppressed" in html
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url)
    assert len(mail.outbox) == 2
    change = staff_client.get(reverse("admin:press_distribution_change", args=[distribution.pk]))
    assert "Sent: 2" in change.content.decode()


def test_staff_send_themselves_a_test_copy(staff_client, desk, django_capture_on_commit_callbacks):
    make_journalists(3, desk)
    distribution = make_distribution(lists=[desk])
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:press_distribution_test", args=[distribution.pk]))
    [message] = mail.outbox
    assert message.to == ["editor@example.org"]
    assert message.subject == "[Test] Joint statement"
    assert not Delivery.objects.exists()


def test_a_test_copy_carries_the_headers_journalists_get_and_a_harmless_unsubscribe_link(
    staff_client, desk, django_capture_on_commit_callbacks
):
    [journalist] = make_journalists(1, desk)
    officer = make_contact(email="press@coalition.example.org")
    distribution = make_distribution(lists=[desk], reply_to=officer)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:press_distribution_test", args=[distribution.pk]))
    [message] = mail.outbox
    headers = message.message()
    assert headers["Reply-To"] == "press@coalition.example.org"
    unsubscribe = link_in_mail("/press/unsubscribe/", message)
    assert unsubscribe == "http://127.0.0.1:8000/press/unsubscribe/test-copy/"
    assert headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = headers.as_bytes()
    assert f"\nList-Unsubscribe: <{unsubscribe}>\n".encode() in raw

    # Following it, or a mail provider's one-click POST, unsubscribes nobody.
    path = unsubscribe.removeprefix("http://127.0.0.1:8000")
    page = staff_client.get(path)
    assert page.status_code == 200
    assert "the unsubscribe link of a test copy: it unsubscribes nobody" in page.text
    one_click = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    assert "it unsubscribes nobody" in one_click.text
    assert not Suppression.objects.exists()
    assert journalist.email not in message.to


def test_staff_stop_a_distribution_and_nobody_else_receives_it(client, staff, outsider, desk):
    make_journalists(30, desk)
    distribution = make_distribution(lists=[desk])
    press.distribution_confirm(distribution=distribution, by=staff)  # rows written, tasks never run
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
        press.distribution_cancel(distribution=distribution, by=staff)
    assert refused.value.code == "not_cancellable"


def test_the_deliveries_list_names_each_journalist_s_language_and_filters_by_it(
    staff_client, desk, django_capture_on_commit_callbacks, staff
):
    arab, english = make_journalists(2, desk)
    Contact.objects.filter(pk=arab.pk).update(language="ar")
    distribution = make_distribution(lists=[desk])
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=distribution, by=staff)
    url = reverse("admin:press_delivery_changelist")
    html = staff_client.get(url).content.decode()
    assert "العربية" in html
    filtered = staff_client.get(url, {"contact__language__exact": "ar"}).content.decode()
    assert arab.email in filtered
    assert english.email not in filtered
