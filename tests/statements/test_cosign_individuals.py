"""Individuals sign in their own name where the statement allows it: the same form (a first
question: as an organization or as yourself), confirmation, moderation, withdrawal,
digest, "you are listed" email, abuse limits and retention as organizations."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.services.personal_data import personal_data_erase
from organizations.models import Organization
from statements.forms import CosignForm
from statements.models import Signature, Statement
from statements.services import cosigning
from statements.services.retention import signer_data_erase_expired
from tests.factories import confirm_token, cosign_data, make_open_statement, submitted
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

State = Signature.State
EMAIL = "amaka@example.net"
PUBLISH_EN = "You may publish my name on this statement."
CONTACT_EN = "The coalition may contact me about this statement."
LOGO_EN = "You may show our logo on this statement."
AUTHORIZED_EN = "I am authorized to sign on behalf of this organization."


def everyone(**fields) -> Statement:
    """A published statement open to organizations and individuals."""
    return make_open_statement(signers=Statement.Signers.EVERYONE, **fields)


def individual_data(**overrides) -> dict:
    """The co-sign form as a browser posts it, for someone signing as themselves, with the
    organization's boxes left as a browser without the script posts them: empty."""
    data = {
        "signs_as": "individual",
        "organization_name": "",
        "website": "",
        "country": "",
        "kind": "ngo",
        "signer_name": "Amaka Okafor",
        "signer_title": "Researcher",
        "affiliation": "University of Lagos",
        "signer_country": "NG",
        "signer_email": EMAIL,
        "signer_phone": "",
        "consent_publish": "on",
        "consent_contact": "on",
        "message": "With you.",
        "fax_number": "",
    }
    return data | overrides


def sign_url(statement: Statement, language: str = "en") -> str:
    with translation.override(language):
        return reverse("cosign", args=[statement.slug])


def individual(statement: Statement, **overrides) -> Signature:
    """An individual's signature submitted through the co-signing service, as the form would."""
    fields = {
        "signs_as": Signature.Kind.INDIVIDUAL,
        "signer_name": "Amaka Okafor",
        "signer_title": "Researcher",
        "affiliation": "University of Lagos",
        "country": "NG",
        "signer_email": EMAIL,
        "signer_phone": "+234 1 555 0100",
        "consent_publish": True,
        "consent_contact": False,
        "message": "With you.",
    }
    return cosigning.signature_submit(
        statement=statement,
        cosign=cosigning.Cosign(**(fields | overrides)),
        consent_text=CosignForm.consent_words(consent_contact=False, individual=True),
    )


def confirmed_individual(statement: Statement, **overrides) -> Signature:
    signature = individual(statement, **overrides)
    assert cosigning.signature_confirm(token=confirm_token(signature)).acted
    signature.refresh_from_db()
    return signature


def local(link: str) -> str:
    return link.removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what each request or service queued on commit, as the commit and a worker would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


# The form


def test_the_form_asks_how_one_signs_when_individuals_may(client):
    html = client.get(sign_url(everyone())).content.decode()
    assert "<legend" in html and "How do you sign?" in html
    assert 'value="individual"' in html and "Sign as yourself" in html
    assert "Sign as an organization" in html
    assert "Sign this statement" in html
    # Without the script both sets of fields are there.
    assert 'name="organization_name"' in html and 'name="affiliation"' in html
    assert PUBLISH_EN in html and AUTHORIZED_EN in html and LOGO_EN in html


def test_an_organizations_only_form_offers_no_choice(client):
    html = client.get(sign_url(make_open_statement())).content.decode()
    assert "How do you sign?" not in html
    assert 'name="affiliation"' not in html and PUBLISH_EN not in html
    assert "Add your organization" in html
    # The logo wall's consent is asked of organizations everywhere.
    assert LOGO_EN in html


def test_an_individual_signs_with_their_own_fields_only(client, on_commit):
    statement = everyone()
    response = on_commit(client.post, sign_url(statement), individual_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("cosign_sent", args=[statement.slug])
    signature = Signature.objects.get()
    assert signature.kind == Signature.Kind.INDIVIDUAL
    assert signature.organization is None
    assert (signature.organization_name, signature.organization_website) == ("", "")
    assert (signature.organization_country, signature.organization_kind) == ("", "")
    assert signature.signer_name == "Amaka Okafor"
    assert (signature.signer_title, signature.affiliation) == ("Researcher", "University of Lagos")
    assert signature.signer_country == "NG"
    assert signature.person_key == EMAIL
    assert signature.consent_publish and signature.consent_contact
    assert not signature.authorized and not signature.show_logo
    assert signature.consent_text == f"{PUBLISH_EN}\n{CONTACT_EN}"
    assert signature.state == State.SUBMITTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    assert "in your own name" in mail.outbox[0].body
    assert not Organization.objects.exists()


def test_what_was_typed_for_an_organization_is_ignored_for_an_individual(client):
    data = individual_data(organization_name="Typed by mistake", website="not a url", logo="")
    assert client.post(sign_url(everyone()), data).status_code == 302
    signature = Signature.objects.get()
    assert (signature.organization_name, signature.organization_website) == ("", "")


def test_an_individual_must_consent_to_have_their_name_published(client):
    response = client.post(sign_url(everyone()), individual_data(consent_publish=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "We can list you only if you agree to have your name published." in html
    # The organization's fields are not asked of them.
    assert "Organization name: This field is required." not in html
    assert "Only someone authorized by the organization can sign for it." not in html
    assert not Signature.objects.exists()


def test_an_individual_needs_a_name_title_and_email_but_no_affiliation(client):
    statement = everyone()
    response = client.post(
        sign_url(statement), individual_data(signer_name="", signer_title="", signer_email="")
    )
    html = response.content.decode()
    for error in [
        "Your full name: This field is required.",
        "Your title or role: This field is required.",
        "Your email: This field is required.",
    ]:
        assert error in html
    assert not Signature.objects.exists()
    data = individual_data(affiliation="", signer_country="")
    assert client.post(sign_url(statement), data).status_code == 302
    assert Signature.objects.get().affiliation == ""


def test_a_signer_who_chooses_nothing_is_asked_to_choose(client):
    data = individual_data()
    del data["signs_as"]
    response = client.post(sign_url(everyone()), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "How do you sign?: This field is required." in html
    # The summary's link leads to the first choice.
    assert 'href="#id_signs_as_0"' in html
    assert not Signature.objects.exists()


def test_an_organization_signs_as_before_and_may_show_its_logo(client):
    statement = everyone()
    data = cosign_data(signs_as="organization", show_logo="on", affiliation="Ignored")
    assert client.post(sign_url(statement), data).status_code == 302
    signature = Signature.objects.get()
    assert signature.kind == Signature.Kind.ORGANIZATION
    assert signature.organization_name == "Rukban Aid Committee"
    assert signature.affiliation == "" and not signature.consent_publish
    assert signature.show_logo
    assert signature.consent_text == f"{AUTHORIZED_EN}\n{LOGO_EN}\n{CONTACT_EN}"


def test_an_organization_is_validated_as_one(client):
    data = individual_data(signs_as="organization")
    response = client.post(sign_url(everyone()), data)
    html = response.content.decode()
    assert "Organization name: This field is required." in html
    assert "Only someone authorized by the organization can sign for it." in html
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    "data",
    [individual_data(), individual_data() | cosign_data(signs_as="individual")],
    ids=["individual's fields", "with an organization's too"],
)
def test_an_organizations_only_statement_refuses_an_individual(client, data):
    response = client.post(sign_url(make_open_statement()), data)
    assert response.status_code == 200
    assert "Only organizations may sign this statement." in response.content.decode()
    assert not Signature.objects.exists()


def test_the_service_refuses_an_individual_on_an_organizations_only_statement():
    with pytest.raises(ValidationError) as refused:
        individual(make_open_statement())
    assert refused.value.code == "individuals_not_allowed"
    assert not Signature.objects.exists()


# One per person


def test_a_person_signs_once_whatever_the_case_of_their_address():
    statement = everyone()
    first = individual(statement)
    with pytest.raises(cosigning.AlreadySigned) as already:
        individual(statement, signer_email=EMAIL.upper(), signer_name="Amaka O.")
    assert already.value.signature == first
    assert Signature.objects.count() == 1


def test_the_database_holds_one_signature_per_person():
    statement = everyone()
    individual(statement)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            statement=statement,
            kind=Signature.Kind.INDIVIDUAL,
            signer_name="Someone Else",
            signer_email=EMAIL.title(),
        )


def test_a_person_who_withdrew_signs_afresh_on_the_same_row():
    statement = everyone()
    first = individual(statement)
    Signature.objects.filter(pk=first.pk).update(state=State.WITHDRAWN, withdrawn_at=timezone.now())
    again = individual(statement, signer_title="Professor")
    assert again.pk == first.pk
    assert (again.state, again.signer_title, again.withdrawn_at) == (
        State.SUBMITTED,
        "Professor",
        None,
    )


def test_a_person_who_signed_for_their_organization_may_also_sign_as_themselves(client):
    statement = everyone()
    submitted(statement, signer_email=EMAIL)
    assert client.post(sign_url(statement), individual_data()).status_code == 302
    kinds = sorted(Signature.objects.filter(signer_email=EMAIL).values_list("kind", flat=True))
    assert kinds == ["individual", "organization"]


def test_signing_again_tells_nobody_whether_the_address_signed(client, on_commit):
    statement = everyone()
    on_commit(client.post, sign_url(statement), individual_data())
    again = on_commit(client.post, sign_url(statement), individual_data(signer_name="Other"))
    # The same answer as a first signature; the address gets a new confirmation link.
    assert again.status_code == 302
    assert again["Location"] == reverse("cosign_sent", args=[statement.slug])
    assert Signature.objects.get().signer_name == "Amaka Okafor"
    assert [m.to for m in mail.outbox] == [[EMAIL], [EMAIL]]


# Confirmation, approval, withdrawal


def test_the_confirmation_link_shows_a_button_and_only_a_post_confirms(client, on_commit):
    statement = everyone()
    on_commit(client.post, sign_url(statement), individual_data())
    path = local(link_in_mail("/signatures/confirm/"))

    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Confirm my signature" in html
    assert "<bdi>Amaka Okafor</bdi>, <bdi>Researcher</bdi>, signing in your own name." in html
    assert Signature.objects.get().state == State.SUBMITTED

    assert on_commit(client.post, path).status_code == 302
    signature = Signature.objects.get()
    assert signature.state == State.CONFIRMED
    assert signature.organization is None and not signature.organization_created
    assert not Organization.objects.exists()
    # Waiting for staff: nobody is told they are listed.
    assert len(mail.outbox) == 1


def test_without_automatic_approval_an_individual_waits_for_staff_whatever_their_domain():
    # Approval of organizations by domain says nothing of a person.
    statement = everyone(cosign_auto_approve=True, individuals_auto_approve=False)
    assert confirmed_individual(statement).state == State.CONFIRMED


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("en", "You are listed: Open the crossings", "Your name is now listed on"),
        ("ar", "أنتم مدرجون: Open the crossings", None),
    ],
)
def test_with_automatic_approval_the_individual_is_listed_and_told(
    client, on_commit, language, subject, words
):
    statement = everyone(title="Open the crossings", individuals_auto_approve=True)
    on_commit(client.post, sign_url(statement, language), individual_data())
    confirm = local(link_in_mail("/signatures/confirm/"))
    mail.outbox.clear()

    on_commit(client.post, confirm)

    signature = Signature.objects.get()
    assert signature.state == State.APPROVED
    assert signature.events.filter(kind="auto_approved").count() == 1
    assert list(statement.signatures.listed().individuals()) == [signature]
    assert len(mail.outbox) == 1
    listed = mail.outbox[0]
    assert listed.to == [EMAIL]
    assert listed.subject == subject
    with translation.override(language):
        page = statement.get_absolute_url()
    assert f"http://127.0.0.1:8000{page}" in listed.body
    assert "/signatures/withdraw/" in listed.body
    if words:
        assert f"{words} “Open the crossings”." in listed.body
    else:
        with translation.override("ar"):
            assert translation.gettext("Your name is now listed on “%(title)s”.") != (
                "Your name is now listed on “%(title)s”."
            )
        assert "Your name is now listed" not in listed.body


def test_staff_approve_an_individual_and_they_are_told_once(moderator, on_commit):
    signature = confirmed_individual(everyone())
    mail.outbox.clear()
    on_commit(cosigning.signature_approve, signature=signature, by=moderator)
    signature.refresh_from_db()
    assert signature.state == State.APPROVED
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert "Your name is now listed on" in mail.outbox[0].body


def test_an_outsider_may_not_approve_an_individual(outsider):
    signature = confirmed_individual(everyone())
    with pytest.raises(PermissionDenied):
        cosigning.signature_approve(signature=signature, by=outsider)
    signature.refresh_from_db()
    assert signature.state == State.CONFIRMED


def test_an_individual_withdraws_and_is_listed_no_more(client, on_commit):
    statement = everyone(individuals_auto_approve=True)
    on_commit(client.post, sign_url(statement), individual_data())
    on_commit(client.post, local(link_in_mail("/signatures/confirm/")))
    withdraw = local(link_in_mail("/signatures/withdraw/", mail.outbox[-1]))

    page = client.get(withdraw)
    assert "Withdraw my signature" in page.content.decode()
    assert Signature.objects.get().state == State.APPROVED
    on_commit(client.post, withdraw)

    assert Signature.objects.get().state == State.WITHDRAWN
    assert not statement.signatures.listed().exists()
    assert "The signature has been withdrawn." in client.get(withdraw).content.decode()


# Staff: the digest and the moderation queue


def test_the_digest_says_who_signed_as_an_individual(staff, on_commit):
    statement = everyone(title="Open the crossings")
    on_commit(confirmed_individual, statement)
    on_commit(
        confirmed_individual, statement, signer_name="Omar Said", signer_email="omar@example.net"
    )
    Signature.objects.filter(signer_name="Omar Said").update(affiliation="")
    mail.outbox.clear()

    on_commit(cosigning.cosign_digests_create)

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["editor@example.org"]
    assert digest.subject == "2 new co-signatures: Open the crossings"
    assert (
        "- Amaka Okafor (individual, affiliation: University of Lagos): Researcher "
        "<amaka@example.net>; Awaiting approval"
    ) in digest.body
    assert (
        "- Omar Said (individual): Researcher <omar@example.net>; Awaiting approval"
    ) in digest.body
    assert "website's domain" not in digest.body


def test_the_moderation_queue_shows_an_individual_as_a_person_and_approves_them(
    client, moderator, on_commit
):
    signature = confirmed_individual(everyone())
    client.force_login(moderator)
    queue = reverse("admin:statements_pendingsignature_changelist")
    html = client.get(queue).content.decode()
    assert (
        "<bdi>Amaka Okafor</bdi> — <bdi>Researcher</bdi>, <bdi>University of Lagos</bdi> "
        "(individual)"
    ) in html
    assert "made when the signer confirms" not in html

    response = on_commit(
        client.post,
        queue,
        {"action": "approve_selected", "_selected_action": [signature.pk]},
        follow=True,
    )
    assert "1 signature approved." in response.content.decode()
    signature.refresh_from_db()
    assert signature.state == State.APPROVED


# Abuse limits


def test_the_rate_limit_per_address_holds_for_individuals(client):
    statement = everyone()
    answers = [
        client.post(sign_url(statement), individual_data(), REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(6)
    ]
    # COSIGN_RATE_PER_EMAIL is 5/h: the first signs, the next four are told to check
    # their email, the sixth is stopped.
    assert answers == [302] * 5 + [429]
    assert Signature.objects.count() == 1


def test_a_bot_that_fills_the_hidden_field_signs_nobody(client):
    response = client.post(sign_url(everyone()), individual_data(fax_number="555"))
    assert response.status_code == 302
    assert not Signature.objects.exists()


# Retention and erasure


def closed_long_ago(statement: Statement) -> None:
    Statement.objects.filter(pk=statement.pk).update(
        cosign_closes_at=timezone.now()
        - datetime.timedelta(days=settings.RETENTION_SIGNER_DAYS + 1)
    )


def test_retention_keeps_a_listed_individuals_published_details_and_drops_the_rest(moderator):
    statement = everyone()
    listed = confirmed_individual(statement)
    cosigning.signature_approve(signature=listed, by=moderator)
    rejected = confirmed_individual(
        statement, signer_name="Omar Said", signer_email="omar@example.net"
    )
    cosigning.signature_reject(signature=rejected, by=moderator)
    closed_long_ago(statement)

    assert sorted(signer_data_erase_expired()) == sorted([listed.pk, rejected.pk])

    listed.refresh_from_db()
    assert (listed.signer_name, listed.signer_title, listed.affiliation) == (
        "Amaka Okafor",
        "Researcher",
        "University of Lagos",
    )
    assert listed.signer_country == "NG"
    assert (listed.signer_email, listed.signer_phone, listed.message, listed.person_key) == (
        "",
        "",
        "",
        "",
    )
    assert listed.erased_at is not None
    assert list(statement.signatures.listed()) == [listed]
    assert not listed.tokens.exists()

    rejected.refresh_from_db()
    assert (rejected.signer_name, rejected.signer_title, rejected.affiliation) == ("", "", "")
    assert (rejected.signer_country, rejected.signer_email, rejected.person_key) == ("", "", "")
    # A second run finds nothing more to erase.
    assert signer_data_erase_expired() == []


def test_an_unconfirmed_individual_is_erased_in_full():
    signature = individual(everyone())
    later = timezone.now() + datetime.timedelta(days=settings.RETENTION_UNFINISHED_DAYS + 1)
    assert signer_data_erase_expired(now=later) == [signature.pk]
    signature.refresh_from_db()
    assert (signature.signer_name, signature.affiliation, signature.signer_email) == ("", "", "")


def test_erasure_on_request_unlists_the_individual_and_renews_the_pages(
    client, staff, moderator, on_commit, page_cache
):
    statement = everyone()
    signature = confirmed_individual(statement)
    on_commit(cosigning.signature_approve, signature=signature, by=moderator)
    assert client.get(statement.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(statement.get_absolute_url())["X-Page-Cache"] == "hit"

    on_commit(personal_data_erase, email=EMAIL.upper(), by=staff)

    signature.refresh_from_db()
    assert (signature.signer_name, signature.signer_title, signature.affiliation) == ("", "", "")
    assert (signature.signer_country, signature.signer_email, signature.person_key) == ("", "", "")
    assert signature.erased_at is not None
    assert not statement.signatures.listed().exists()
    assert client.get(statement.get_absolute_url())["X-Page-Cache"] == "miss"
