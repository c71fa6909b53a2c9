import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CallToAction
from statements.models import Statement
from tests.factories import make_call_to_action, make_campaign, make_statement

pytestmark = pytest.mark.django_db

STATEMENT_INLINES = [
    "issuers",
    "signatories",
    "demands",
    "quotes",
    "signatures",
    "signatory_groups",
    "press_contacts",
    "related_links",
    "calls_to_action",
]


def call_form(prefix: str = "", **fields) -> dict:
    """A call's fields as the admin posts them, a "read more" unless told otherwise."""
    data = {
        "kind": "read_more",
        "title": "Read our report",
        "description": "",
        "button_label": "",
        "position": "0",
        "url": "https://example.org/report",
        "starts_at_0": "",
        "starts_at_1": "",
        "ends_at_0": "",
        "ends_at_1": "",
        "event_starts_at_0": "",
        "event_starts_at_1": "",
        "event_place": "",
        **{
            name: ""
            for name in [
                "target_name",
                "target_role",
                "target_email",
                "target_phone",
                "target_form_url",
                "message_subject",
                "message_body",
            ]
        },
    } | fields
    return {f"{prefix}{name}": value for name, value in data.items()}


def one_inline(prefix: str, **fields) -> dict:
    return {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"} | call_form(
        f"{prefix}-0-", **fields
    )


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:campaigns_calltoaction_changelist"),
        reverse("admin:campaigns_calltoaction_add"),
    ],
)
def test_outsiders_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_logged_in_non_staff_user_cannot_change_a_call(client, outsider):
    call = make_call_to_action()
    url = reverse("admin:campaigns_calltoaction_change", args=[call.pk])
    response = client.post(url, call_form(campaign=call.campaign_id, title="Hijacked"))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title != "Hijacked"


def test_the_list_says_which_calls_are_live_scheduled_or_expired(staff_client):
    now = timezone.now()
    make_call_to_action(title="Running")
    make_call_to_action(title="Coming", starts_at=now + datetime.timedelta(days=2))
    make_call_to_action(title="Over", ends_at=now - datetime.timedelta(days=2))
    url = reverse("admin:campaigns_calltoaction_changelist")
    html = staff_client.get(url).content.decode()
    assert '<td class="field-shown">Live</td>' in html
    assert "Scheduled: from " in html
    assert "Expired: ended " in html
    expired = staff_client.get(url, {"shown": "expired"}).context["cl"].result_list
    assert [call.title for call in expired] == ["Over"]
    live = staff_client.get(url, {"shown": "live"}).context["cl"].result_list
    assert [call.title for call in live] == ["Running"]


def test_staff_are_told_what_a_contact_call_lacks(staff_client):
    campaign = make_campaign()
    data = call_form(campaign=campaign.pk, kind="contact", url="", target_name="The minister")
    response = staff_client.post(reverse("admin:campaigns_calltoaction_add"), data)
    assert response.status_code == 200
    assert "Give an email address, a phone number or a web form" in response.content.decode()
    folded = [
        fieldset.name for fieldset in response.context["adminform"] if fieldset.is_collapsible
    ]
    assert folded == ["Link: donate, read more, attend", "Attend an event"]
    assert not CallToAction.objects.exists()


def test_staff_cannot_save_a_javascript_link(staff_client):
    data = call_form(campaign=make_campaign().pk, url="javascript:alert(1)")
    response = staff_client.post(reverse("admin:campaigns_calltoaction_add"), data)
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert not CallToAction.objects.exists()


def campaign_form(campaign, **inline) -> dict:
    data = {
        "title": campaign.title,
        "slug": campaign.slug,
        "summary": "",
        "description": "",
        "asks": "",
        "is_active": "on",
        "started_on": "",
    }
    return data | one_inline("calls_to_action", **inline)


def test_staff_add_a_call_on_the_campaign_and_choose_only_its_statements(staff_client):
    campaign = make_campaign()
    own = make_statement(campaign=campaign)
    make_statement(campaign=make_campaign())
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    formset = staff_client.get(url).context["inline_admin_formsets"][0].formset
    assert list(formset.form.base_fields["statement"].queryset) == [own]

    response = staff_client.post(url, campaign_form(campaign, statement=own.pk, position="4"))
    assert response.status_code == 302
    call = campaign.calls_to_action.get()
    assert (call.statement, call.position, call.title) == (own, 4, "Read our report")


def statement_form(statement, **inline) -> dict:
    data = {
        "kind": statement.kind,
        "title": statement.title,
        "slug": statement.slug,
        "language": "en",
        "body": statement.body,
        "signatory_order": "alphabetical",
        "signers": "organizations",
        "campaign": statement.campaign_id or "",
        "release_date": statement.release_date.isoformat() if statement.release_date else "",
    }
    for prefix in STATEMENT_INLINES:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | one_inline("calls_to_action", **inline)


def test_a_call_added_on_a_statement_belongs_to_the_statements_campaign(staff_client):
    campaign = make_campaign()
    statement = make_statement(campaign=campaign)
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    response = staff_client.post(url, statement_form(statement, kind="cosign", url=""))
    assert response.status_code == 302
    call = statement.calls_to_action.get()
    assert (call.campaign, call.kind) == (campaign, "cosign")


def test_a_statement_outside_any_campaign_cannot_have_calls(staff_client):
    statement = make_statement()
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    response = staff_client.post(url, statement_form(statement))
    assert response.status_code == 200
    assert "Put the statement in a campaign first" in response.content.decode()
    assert not CallToAction.objects.exists()


def test_a_new_statement_gets_its_cosign_call_in_the_same_save(staff_client):
    campaign = make_campaign()
    unsaved = Statement(title="New words", slug="new-words", body="We speak.", campaign=campaign)
    response = staff_client.post(
        reverse("admin:statements_statement_add"),
        statement_form(unsaved, kind="cosign", url="", title="Sign the new words"),
    )
    assert response.status_code == 302
    call = CallToAction.objects.get()
    assert (call.campaign, call.statement.slug) == (campaign, "new-words")
