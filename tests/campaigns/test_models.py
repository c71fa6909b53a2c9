import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import CallToAction
from statements.models import Statement
from tests.factories import make_call_to_action, make_campaign, make_statement

pytestmark = pytest.mark.django_db

Kind = CallToAction.Kind
NOW = timezone.make_aware(datetime.datetime(2025, 3, 1, 12, 0))
HOUR = datetime.timedelta(hours=1)


NEEDS = {
    Kind.CONTACT: {"target_name": "Foreign Minister", "target_email": "minister@example.org"},
    Kind.SHARE: {},
    Kind.DONATE: {"url": "https://example.org/donate"},
    Kind.ATTEND: {"event_starts_at": NOW, "event_place": "Parliament Square, London"},
    Kind.COSIGN: {},
    Kind.READ_MORE: {"url": "https://example.org/report"},
}


def complete(kind: str, campaign) -> dict:
    """Fields that make a valid call of this kind in this campaign."""
    fields = {"kind": kind, "title": "Act now", "campaign": campaign} | NEEDS[kind]
    if kind == Kind.COSIGN:
        fields["statement"] = make_statement(campaign=campaign)
    return fields


def errors_of(call: CallToAction) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call.full_clean()
    return {field: [e.code for e in errors] for field, errors in caught.value.error_dict.items()}


@pytest.mark.parametrize("kind", Kind.values)
def test_a_complete_call_of_each_kind_is_valid(kind):
    CallToAction(**complete(kind, make_campaign())).full_clean()


@pytest.mark.parametrize(
    ("kind", "blank", "field", "code"),
    [
        (Kind.CONTACT, {"target_name": ""}, "target_name", "contact_without_target"),
        (Kind.CONTACT, {"target_email": ""}, "target_email", "contact_unreachable"),
        (Kind.DONATE, {"url": ""}, "url", "link_required"),
        (Kind.READ_MORE, {"url": ""}, "url", "link_required"),
        (Kind.ATTEND, {"event_starts_at": None}, "event_starts_at", "attend_without_time"),
        (Kind.ATTEND, {"event_place": "  "}, "event_place", "attend_without_place"),
        (Kind.COSIGN, {"statement": None}, "statement", "cosign_without_statement"),
    ],
)
def test_each_kind_requires_what_it_needs(kind, blank, field, code):
    call = CallToAction(**(complete(kind, make_campaign()) | blank))
    assert errors_of(call) == {field: [code]}


@pytest.mark.parametrize(
    "way",
    [
        {"target_phone": "+44 20 7946 0000"},
        {"target_form_url": "https://parliament.example.org/contact"},
    ],
)
def test_a_decision_maker_can_be_reached_by_phone_or_web_form_alone(way):
    fields = complete(Kind.CONTACT, make_campaign()) | {"target_email": ""} | way
    CallToAction(**fields).full_clean()


def test_it_must_end_after_it_starts():
    fields = complete(Kind.SHARE, make_campaign()) | {"starts_at": NOW, "ends_at": NOW}
    assert errors_of(CallToAction(**fields)) == {"ends_at": ["ends_before_start"]}


def test_its_statement_must_belong_to_its_campaign():
    fields = complete(Kind.SHARE, make_campaign()) | {
        "statement": make_statement(campaign=make_campaign())
    }
    assert errors_of(CallToAction(**fields)) == {"statement": ["statement_outside_campaign"]}


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "data:text/html,<script>x</script>", "ftp://example.org/f"]
)
@pytest.mark.parametrize("field", ["url", "target_form_url"])
def test_only_web_addresses_are_accepted(field, address):
    fields = complete(Kind.CONTACT, make_campaign()) | {field: address}
    assert errors_of(CallToAction(**fields)) == {field: ["invalid"]}


@pytest.mark.parametrize(
    ("kind", "blank"),
    [
        (Kind.CONTACT, {"target_email": ""}),
        (Kind.CONTACT, {"target_name": ""}),
        (Kind.DONATE, {"url": ""}),
        (Kind.ATTEND, {"event_place": ""}),
        (Kind.COSIGN, {"statement": None}),
        (Kind.SHARE, {"starts_at": NOW, "ends_at": NOW - HOUR}),
        (Kind.SHARE, {"url": "javascript:alert(1)"}),
        (Kind.CONTACT, {"target_form_url": "JavaScript:alert(1)"}),
    ],
)
def test_the_database_refuses_what_validation_refuses(kind, blank):
    fields = complete(kind, make_campaign()) | blank
    with pytest.raises(IntegrityError), transaction.atomic():
        CallToAction.objects.create(**fields)


def test_current_hides_calls_not_started_yet_and_ended():
    campaign = make_campaign()
    shown = [
        make_call_to_action(campaign=campaign, title="Always"),
        make_call_to_action(campaign=campaign, title="Started", starts_at=NOW),
        make_call_to_action(campaign=campaign, title="Ending", ends_at=NOW + HOUR),
        make_call_to_action(
            campaign=campaign, title="Window", starts_at=NOW - HOUR, ends_at=NOW + HOUR
        ),
    ]
    hidden = [
        make_call_to_action(campaign=campaign, title="Later", starts_at=NOW + HOUR),
        make_call_to_action(campaign=campaign, title="Ended", ends_at=NOW),
        make_call_to_action(
            campaign=campaign, title="Past", starts_at=NOW - 2 * HOUR, ends_at=NOW - HOUR
        ),
    ]
    assert list(CallToAction.objects.current(NOW)) == shown
    assert [call.schedule_state(NOW) for call in shown] == ["live"] * 4
    assert [call.schedule_state(NOW) for call in hidden] == ["scheduled", "expired", "expired"]
    # An hour later the ending call is gone, without anything having run.
    assert "Ending" not in {call.title for call in CallToAction.objects.current(NOW + HOUR)}


def test_current_uses_the_clock_when_not_told_the_time():
    expired = make_call_to_action(ends_at=timezone.now() - HOUR)
    live = make_call_to_action(ends_at=timezone.now() + HOUR)
    assert list(CallToAction.objects.current()) == [live]
    assert expired.schedule_state() == "expired"


def test_calls_are_in_the_order_staff_give_them():
    campaign = make_campaign()
    third = make_call_to_action(campaign=campaign, position=3)
    first = make_call_to_action(campaign=campaign, position=1)
    second_a = make_call_to_action(campaign=campaign, position=2)
    second_b = make_call_to_action(campaign=campaign, position=2)
    assert list(campaign.calls_to_action.all()) == [first, second_a, second_b, third]


def test_a_statement_shows_its_own_calls_and_its_campaigns_general_ones():
    campaign = make_campaign()
    statement = make_statement(campaign=campaign)
    sibling = make_statement(campaign=campaign)
    general = make_call_to_action(campaign=campaign)
    own = make_call_to_action(statement=statement)
    make_call_to_action(statement=sibling)
    make_call_to_action()
    assert set(CallToAction.objects.for_statement(statement)) == {general, own}
    assert list(CallToAction.objects.for_statement(make_statement())) == []


def test_the_mail_link_carries_the_address_subject_and_message_encoded():
    call = CallToAction(
        target_email="foreign.minister@example.org",
        message_subject="Stop the bombing & open the crossings",
        message_body="Dear Minister,\n\nPlease act: 100% of aid/relief is blocked.\nThank you",
    )
    assert call.mailto_url() == (
        "mailto:foreign.minister@example.org"
        "?subject=Stop%20the%20bombing%20%26%20open%20the%20crossings"
        "&body=Dear%20Minister%2C%0D%0A%0D%0APlease%20act%3A%20100%25%20of%20aid%2Frelief"
        "%20is%20blocked.%0D%0AThank%20you"
    )


def test_the_mail_link_leaves_out_what_is_empty():
    assert CallToAction(target_email="a@example.org").mailto_url() == "mailto:a@example.org"
    assert CallToAction(target_email="", message_body="Hello").mailto_url() == ""


def test_a_cosign_call_can_be_acted_on_only_while_its_published_statement_is_open():
    campaign = make_campaign()
    statement = make_statement(campaign=campaign, cosign_open=True)
    call = make_call_to_action(kind=Kind.COSIGN, statement=statement, url="")
    assert not call.is_actionable()  # a draft
    Statement.objects.filter(pk=statement.pk).update(
        status=Statement.Status.PUBLISHED, published_at=timezone.now()
    )
    call.refresh_from_db()
    assert call.is_actionable()
    Statement.objects.filter(pk=statement.pk).update(cosign_closes_at=timezone.now() - HOUR)
    call.refresh_from_db()
    assert not call.is_actionable()
    assert make_call_to_action(campaign=campaign).is_actionable()


def test_the_asks_are_listed_one_per_line():
    campaign = make_campaign(asks="Ceasefire now\n\n  Open every crossing  \r\nJustice\n")
    assert campaign.ask_list() == ["Ceasefire now", "Open every crossing", "Justice"]
