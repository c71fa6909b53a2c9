"""A distribution that sent anything is a record: who received the release, and the
unsubscribe links in their inboxes. It can be stopped, never deleted."""

import pytest
from django.contrib.admin import helpers
from django.db.models import ProtectedError
from django.urls import reverse

from organizations.models import Suppression
from press import services as press
from press.models import Delivery, Distribution, StaffCopy
from statements.models import Statement
from tests.factories import make_distribution, make_journalists, make_staff
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
CHANGELIST = reverse("admin:press_distribution_changelist")


@pytest.fixture
def sent(desk, django_capture_on_commit_callbacks) -> Distribution:
    """A distribution sent to two journalists."""
    make_journalists(2, desk)
    distribution = make_distribution(lists=[desk])
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=distribution, by=make_staff())
    assert distribution.deliveries.filter(state=Delivery.State.SENT).count() == 2
    return distribution


def test_the_database_refuses_to_delete_a_distribution_with_deliveries(sent):
    with pytest.raises(ProtectedError):
        sent.delete()
    with pytest.raises(ProtectedError):
        Distribution.objects.filter(pk=sent.pk).delete()
    assert Delivery.objects.count() == 2


def test_deleting_its_statement_cannot_take_the_deliveries_along(sent):
    with pytest.raises(ProtectedError):
        Statement.objects.filter(pk=sent.statement_id).delete()
    assert Delivery.objects.count() == 2


def test_a_test_copy_keeps_its_distribution(staff):
    distribution = make_distribution()
    press.press_test_copy_send(distribution=distribution, to=staff.email, by=staff)
    with pytest.raises(ProtectedError):
        distribution.delete()
    assert StaffCopy.objects.get().distribution == distribution


def test_the_admin_offers_no_delete_and_says_why(staff_client, sent):
    page = staff_client.get(reverse("admin:press_distribution_change", args=[sent.pk]))
    html = page.content.decode()
    assert reverse("admin:press_distribution_delete", args=[sent.pk]) not in html
    assert (
        "This distribution cannot be deleted. It has sent email, and its records must "
        "stay: 2 deliveries." in html
    )
    response = staff_client.post(
        reverse("admin:press_distribution_delete", args=[sent.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Distribution.objects.filter(pk=sent.pk).exists()


def test_bulk_deletion_is_refused_in_words(staff_client, sent):
    data = {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [sent.pk]}
    for confirmed in ({}, {"post": "yes"}):
        response = staff_client.post(CHANGELIST, data | confirmed)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Nothing was deleted: what you selected holds records that must stay." in html
        assert "It has sent email, and its records must stay: 2 deliveries." in html
    assert Distribution.objects.filter(pk=sent.pk).exists()


def test_an_unsubscribe_link_works_after_staff_tried_to_delete_its_distribution(
    client, staff_client, sent
):
    path = link_in_mail("/press/unsubscribe/").removeprefix(SITE)
    staff_client.post(reverse("admin:press_distribution_delete", args=[sent.pk]), {"post": "yes"})
    staff_client.post(
        CHANGELIST,
        {"action": "delete_selected", "post": "yes", helpers.ACTION_CHECKBOX_NAME: [sent.pk]},
    )
    client.logout()
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "is now unsubscribed" in response.content.decode()
    assert Suppression.objects.active().filter(email__endswith="@news.example.org").count() == 1


def test_a_draft_that_sent_nothing_may_still_be_deleted(staff_client, desk):
    make_journalists(1, desk)
    draft = make_distribution(lists=[desk])
    response = staff_client.post(
        reverse("admin:press_distribution_delete", args=[draft.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Distribution.objects.exists()


def test_deliveries_cannot_be_deleted_in_the_admin(staff_client, sent):
    delivery = sent.deliveries.first()
    page = staff_client.get(reverse("admin:press_delivery_change", args=[delivery.pk]))
    assert reverse("admin:press_delivery_delete", args=[delivery.pk]) not in page.content.decode()
    response = staff_client.post(
        reverse("admin:press_delivery_delete", args=[delivery.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Delivery.objects.count() == 2
