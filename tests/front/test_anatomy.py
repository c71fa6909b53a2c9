"""A statement's parts in the order releases have them, wherever it is shown: the
body, the demands under their heading, the text after them, the press contacts."""

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from press.emails import press_parts, press_release_email
from press.models import Delivery
from statements.models import PressContact, Signature, Statement
from statements.selectors import statement_context
from statements.services import signoff
from tests.factories import (
    make_contact,
    make_distribution,
    make_full_statement,
    make_organization,
    make_signatures,
    make_signed_statement,
    make_statement,
)
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

DEMANDS_HEADING = "We call upon the following actions to be taken immediately:"
CLOSING = "We stand ready to **meet** with officials."
PRESS_HEADING = "For press inquiries, please contact:"


def release(**fields) -> Statement:
    statement = make_full_statement(
        demands_heading=DEMANDS_HEADING, closing=CLOSING, press_contacts_heading=PRESS_HEADING,
        **fields,
    )  # fmt: skip
    manager = make_contact(
        organization=make_organization(name="Relief Works"), name="", title="Operations Manager",
        email="ops@relief.example.org",
    )  # fmt: skip
    PressContact.objects.create(statement=statement, contact=manager, position=5)
    return statement


def assert_in_order(text: str, *parts: str) -> None:
    positions = [text.index(part) for part in parts]
    assert positions == sorted(positions), list(zip(parts, positions, strict=True))


def test_the_page_shows_lead_demands_closing_and_contacts_in_order(client):
    statement = release()

    html = client.get(statement.get_absolute_url()).content.decode()

    assert_in_order(
        html, "<strong>condemn</strong>", DEMANDS_HEADING, "Stop the shelling.",
        "We stand ready to <strong>meet</strong> with officials.", PRESS_HEADING, "Sam Okafor",
    )  # fmt: skip
    assert "Our demands" not in html and "For press inquiries</h2>" not in html
    assert "<strong><bdi>Operations Manager</bdi></strong>, <bdi>Relief Works</bdi>" in html


def test_without_their_own_words_the_headings_are_the_defaults(client):
    statement = make_full_statement(closing="After the demands.")

    html = client.get(statement.get_absolute_url()).content.decode()

    assert_in_order(html, "Our demands", "Stop the shelling.", "After the demands.")
    assert_in_order(html, "After the demands.", "For press inquiries", "Sam Okafor")


def test_the_arabic_page_translates_the_default_headings(client):
    statement = make_full_statement(language="ar")

    html = client.get(statement.get_absolute_url()).content.decode()

    assert "مطالبنا" in html and "للاستفسارات الصحفية" in html


def test_the_pdf_follows_the_same_order():
    statement = release()

    html = render_to_string("front/statement_pdf.html", statement_context(statement))

    assert_in_order(
        html, "<strong>condemn</strong>", DEMANDS_HEADING, "Stop the shelling.",
        "<strong>meet</strong>", PRESS_HEADING, "Sam Okafor", "Operations Manager",
    )  # fmt: skip
    assert "Our demands" not in html


def test_the_press_email_follows_the_same_order():
    statement = release()
    contact = make_contact(email="desk@news.example.org")
    delivery = Delivery.objects.create(
        distribution=make_distribution(statement), contact=contact, email=contact.email
    )

    message, _ = press_release_email(delivery, press_parts(statement))

    assert_in_order(
        message.body, "We **condemn** the strike.", DEMANDS_HEADING, "1. Ceasefire: Stop",
        CLOSING, PRESS_HEADING, "Sam Okafor, Press officer", "Operations Manager, Relief Works",
    )  # fmt: skip
    [(html, _)] = message.alternatives
    assert_in_order(
        html, "<strong>condemn</strong>", DEMANDS_HEADING, "<strong>meet</strong>",
        PRESS_HEADING, "<bdi>Operations Manager</bdi>, <bdi>Relief Works</bdi>",
    )  # fmt: skip


def test_the_sign_off_email_and_page_show_the_frozen_order(
    client, django_capture_on_commit_callbacks, staff
):
    statement, (alpha, *_) = make_signed_statement(demands_heading=DEMANDS_HEADING, closing=CLOSING)
    statement.demands.create(heading="Ceasefire", text="Stop the shelling.")
    with django_capture_on_commit_callbacks(execute=True):
        signoff.signoff_requests_send(
            statement=statement,
            contacts=[alpha],
            deadline=timezone.now() + timedelta(days=3),
            by=staff,
        )
    [message] = mail.outbox

    assert_in_order(
        message.body, "The first text.", DEMANDS_HEADING, "1. Ceasefire: Stop the shelling.",
        CLOSING,
    )  # fmt: skip
    [(html, _)] = message.alternatives
    assert_in_order(html, "The first text.", DEMANDS_HEADING, "<strong>meet</strong>")

    # Changed after freezing: the page shows the version asked about.
    statement.closing = "Something else."
    statement.save()
    page = client.get(link_in_mail("/signoff/", message)).content.decode()
    assert_in_order(page, "The first text.", DEMANDS_HEADING, "<strong>meet</strong>")
    assert "Something else." not in page


def test_the_api_gives_the_headings_and_the_closing(client):
    statement = release()

    data = client.get(reverse("api:statement_detail", args=[statement.slug])).json()

    assert data["demands_heading"] == DEMANDS_HEADING
    assert data["closing"] == CLOSING
    assert (
        data["closing_html"] == "<p>We stand ready to <strong>meet</strong> with officials.</p>\n"
    )
    assert data["press_contacts_heading"] == PRESS_HEADING
    assert {"name": "", "title": "Operations Manager", "organization": "Relief Works",
            "email": "ops@relief.example.org", "phone": ""} in data["press_contacts"]  # fmt: skip


def test_the_page_lists_issuers_in_their_position_and_signatories_alphabetically(client):
    statement = make_statement(status="published")
    for position, name in enumerate(["Zeta Aid", "Alpha Aid"]):
        Signature.objects.create(
            statement=statement, organization=make_organization(name=name),
            role=Signature.Role.ISSUER, position=position,
        )  # fmt: skip
    for position, name in enumerate(["Yankee Union", "Bravo Union"]):
        Signature.objects.create(
            statement=statement, organization=make_organization(name=name), position=position
        )

    html = client.get(statement.get_absolute_url()).content.decode()

    assert_in_order(html, "Zeta Aid", "Alpha Aid", "Bravo Union", "Yankee Union")


def test_without_a_standfirst_the_description_is_the_start_of_the_body(client):
    body = "Aid workers were **killed** in the strike on the market. " * 6
    statement = make_statement(status="published", standfirst="", body=body)

    html = client.get(statement.get_absolute_url()).content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)"', html)[1]
    og = re.search(r'<meta property="og:description" content="([^"]*)"', html)[1]

    assert description == og == statement.summary
    assert description.startswith("Aid workers were killed in the strike")
    assert description.endswith("…")
    home = client.get(reverse("home")).content.decode()
    assert "Aid workers were killed in the strike" in home


def test_a_card_without_issuers_names_its_first_signatories(client):
    statement = make_statement(status="published", title="Only signed")
    for name in ["Delta Aid", "Alpha Aid", "Charlie Aid", "Bravo Aid", "Echo Aid"]:
        organization = make_organization(name=name, short_name="")
        Signature.objects.create(statement=statement, organization=organization)
    issued = make_statement(status="published", title="Issued one")
    make_signatures(issued, 2)
    Signature.objects.create(
        statement=issued, organization=make_organization(name="Issuer Org", short_name=""),
        role=Signature.Role.ISSUER,
    )  # fmt: skip

    html = client.get(reverse("statement_list")).content.decode()

    card = html[html.index("Only signed") :]
    card = card[: card.index("</article>")]
    assert (
        "Signed by <bdi>Alpha Aid</bdi>, <bdi>Bravo Aid</bdi>, <bdi>Charlie Aid</bdi> and 2 others"
        in card
    )
    issued_card = html[html.index("Issued one") :]
    issued_card = issued_card[: issued_card.index("</article>")]
    assert (
        'Issued by <bdi>Issuer Org</bdi></span> · <span class="counts">Signed by 2 organizations'
        in issued_card
    )


@pytest.mark.parametrize("signatories", [1, 40])
def test_cards_naming_signatories_cost_no_more_queries(
    client, django_assert_num_queries, signatories
):
    for _ in range(8):
        make_signatures(make_statement(status="published"), signatories)
    # statements, their issuers or first signatories, campaigns
    with django_assert_num_queries(3):
        html = client.get(reverse("home")).content.decode()
    # The home page shows the latest six.
    assert html.count("Signed by") == 6


def test_make_run_builds_links_for_the_port_it_serves():
    root = Path(__file__).resolve().parents[2]

    def dry_run(*args, env=None) -> str:
        return subprocess.run(
            ["make", "-n", "run", *args], cwd=root, capture_output=True, text=True, check=True,
            env=env,
        ).stdout  # fmt: skip

    assert "Links are made for http://127.0.0.1:8101" in dry_run("PORT=8101")
    assert "Links are made for https://statements.example.org" in dry_run(
        "PORT=8101", "SITE_URL=https://statements.example.org"
    )
