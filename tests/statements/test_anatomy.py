"""The parts a release has after its body: the demands under their own heading, the
text after them and the press contacts' heading, frozen, compared and translated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from statements.diff import diff_text, version_sections
from statements.markdown import render_markdown
from statements.models import Demand, Signature, Statement, content_hash
from statements.services import signoff, translations
from tests.factories import make_organization, make_signed_statement, make_statement

pytestmark = pytest.mark.django_db


def test_the_text_holds_the_headings_and_the_closing_in_reading_order():
    statement = make_statement(
        demands_heading="We call upon the following actions:",
        closing="We will keep watching.",
        press_contacts_heading="For press inquiries, please contact:",
    )
    Demand.objects.create(statement=statement, heading="Ceasefire", text="Now.")

    text = statement.translated_text()

    assert list(text) == [
        "title", "standfirst", "body", "demands_heading", "demands", "closing", "quotes",
        "press_contacts_heading",
    ]  # fmt: skip
    assert text["closing"] == "We will keep watching."
    content = statement.signable_content()
    assert content["demands_heading"] == "We call upon the following actions:"
    assert content["press_contacts_heading"] == "For press inquiries, please contact:"


def test_a_text_that_leaves_the_new_parts_empty_hashes_as_before_they_existed():
    statement = make_statement(title="Old text", body="As it was.")
    before = {"title": "Old text", "standfirst": "", "body": "As it was.", "demands": [],
              "quotes": []}  # fmt: skip

    assert statement.translated_text() == before


def test_changing_the_closing_asks_for_approval_again(staff, django_capture_on_commit_callbacks):
    statement, (alpha, *_) = make_signed_statement(closing="We will keep watching.")
    with django_capture_on_commit_callbacks(execute=True):
        signoff.signoff_requests_send(
            statement=statement,
            contacts=[alpha],
            deadline=timezone.now() + timedelta(days=3),
            by=staff,
        )
    version = statement.versions.get()
    assert version.content["closing"] == "We will keep watching."
    assert version.content_hash == content_hash(statement.signable_content())

    statement.closing = "We will keep watching, and we will act."
    statement.save()

    assert content_hash(statement.signable_content()) != version.content_hash
    changes = diff_text(version.content, statement.signable_content())
    assert changes.startswith("Text after the demands:")
    assert "+ We will keep watching, and we will act." in changes


def test_changing_a_heading_changes_the_text_signed():
    statement = make_statement()
    before = content_hash(statement.signable_content())
    statement.demands_heading = "We demand:"
    assert content_hash(statement.signable_content()) != before
    statement.demands_heading = ""
    statement.press_contacts_heading = "Media contact:"
    assert content_hash(statement.signable_content()) != before


def test_the_comparison_lists_the_new_parts_in_reading_order_when_they_are_used():
    content = {
        "title": "T",
        "body": "B",
        "demands_heading": "We call for:",
        "demands": [{"heading": "", "text": "Peace."}],
        "closing": "After.",
        "quotes": [],
        "press_contacts_heading": "Media:",
    }
    assert [label for label, _ in version_sections(content)] == [
        "Headline", "Standfirst", "Body", "Heading of the demands", "Demand 1",
        "Text after the demands", "Heading of the press contacts", "Issued by", "Signed by",
    ]  # fmt: skip


def test_a_translation_starts_with_the_headings_and_the_closing(staff):
    original = make_statement(
        demands_heading="We call for:", closing="Signed in Geneva.", press_contacts_heading="Media:"
    )

    translation = translations.translation_create(statement=original, language="ar", by=staff)

    assert translation.demands_heading == "We call for:"
    assert translation.closing == "Signed in Geneva."
    assert translation.press_contacts_heading == "Media:"
    assert translation.source_text["closing"] == "Signed in Geneva."


def test_the_signable_content_holds_each_translation_s_closing(staff):
    original = make_statement(closing="After the demands.")
    translation = translations.translation_create(statement=original, language="ar", by=staff)
    translation.closing = "بعد المطالب."
    translation.save()

    assert original.signable_content()["translations"]["ar"]["closing"] == "بعد المطالب."


def test_pasted_bullets_are_a_list():
    html = render_markdown("We call for:\n• a ceasefire;\n•\taccess;\n  ◦ by road\n• the end.")

    assert html.count("<ul>") == 2
    assert "<p>We call for:</p>" in html
    assert "<li>a ceasefire;</li>" in html
    assert "<li>access;\n<ul>\n<li>by road</li>" in html
    assert "•" not in html


def test_a_bullet_inside_a_sentence_stays_as_it_is():
    assert render_markdown("Aid • Rights • Peace") == "<p>Aid • Rights • Peace</p>\n"


@pytest.mark.parametrize("order", list(Statement.SignatoryOrder))
def test_issuers_come_first_in_their_position_whatever_the_order_of_signatories(order):
    statement = make_statement(signatory_order=order)
    for position, name in enumerate(["Zeta Aid", "Alpha Aid", "Mu Aid"]):
        Signature.objects.create(
            statement=statement, organization=make_organization(name=name),
            role=Signature.Role.ISSUER, position=position,
        )  # fmt: skip
    for position, name in enumerate(["Yankee Union", "Bravo Union"]):
        Signature.objects.create(
            statement=statement, organization=make_organization(name=name), position=position
        )

    names = [s.organization.name for s in statement.signatures.in_order(order)]

    assert names[:3] == ["Zeta Aid", "Alpha Aid", "Mu Aid"]
    expected = {
        Statement.SignatoryOrder.ALPHABETICAL: ["Bravo Union", "Yankee Union"],
        Statement.SignatoryOrder.SIGNED: ["Yankee Union", "Bravo Union"],
        Statement.SignatoryOrder.MANUAL: ["Yankee Union", "Bravo Union"],
        # Neither has a country, both are of one kind: by name.
        Statement.SignatoryOrder.COUNTRY: ["Bravo Union", "Yankee Union"],
        Statement.SignatoryOrder.KIND: ["Bravo Union", "Yankee Union"],
    }
    assert names[3:] == expected[order]


def test_the_default_order_is_alphabetical_for_signatories_only():
    field = Statement._meta.get_field("signatory_order")

    assert field.default == Statement.SignatoryOrder.ALPHABETICAL
    assert "Issuing organizations always come first, in the order you give them" in str(
        field.help_text
    )


def test_the_summary_is_the_standfirst_or_the_start_of_the_body():
    assert make_statement(standfirst="Short.", body="Long body.").summary == "Short."
    body = "We **condemn** the [strike](https://example.org) on the market. " * 5
    summary = make_statement(standfirst="", body=body).summary

    assert summary.startswith("We condemn the strike on the market. We condemn")
    assert summary.endswith("…") and len(summary) <= 161
    assert "*" not in summary and "https" not in summary
    # Cut at a word: what is left is whole words of the body.
    assert (body.replace("**", "").replace("[strike](https://example.org)", "strike")).startswith(
        summary[:-1] + " "
    )
    assert make_statement(standfirst="", body="Brief.").summary == "Brief."
