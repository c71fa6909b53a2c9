import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.tokens import token_hash
from organizations.models import Organization
from statements.models import OutgoingEmail, Signature, SignatureEvent, SignatureToken
from statements.services import cosigning
from tests.factories import confirmed, make_open_statement, make_organization, submitted
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

State = Signature.State


def token_from_mail(purpose: str, message=None) -> str:
    return link_in_mail(f"/signatures/{purpose}/", message).rstrip("/").rsplit("/", 1)[1]


def test_a_submission_owes_a_confirmation_and_makes_no_organization_yet(
    django_capture_on_commit_callbacks,
):
    statement = make_open_statement()
    with django_capture_on_commit_callbacks(execute=True):
        signature = submitted(statement)
    assert signature.state == State.SUBMITTED
    assert signature.source == Signature.Source.FORM
    # Until the signer confirms, the organization is only what they typed.
    assert signature.organization is None
    assert not Organization.objects.exists()
    assert (signature.organization_name, signature.organization_website) == (
        "Rukban Aid Committee",
        "https://rukban.example.org",
    )
    assert str(signature) == f"Rukban Aid Committee on {statement}"
    assert [e.kind for e in signature.events.all()] == [SignatureEvent.Kind.SUBMITTED]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["layla@rukban.example.org"]
    assert message.subject == f"Confirm your signature: {statement.title}"
    confirm = token_from_mail("confirm")
    withdraw = token_from_mail("withdraw")
    # Only hashes are kept.
    assert not SignatureToken.objects.filter(token_hash__in=[confirm, withdraw]).exists()
    assert SignatureToken.objects.filter(token_hash=token_hash(confirm), purpose="confirm").exists()
    assert len(confirm) >= 43  # 256 bits in URL-safe base64
    assert OutgoingEmail.objects.get().sent_at is not None


def test_confirming_makes_the_organization_from_what_the_signer_typed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        signature = submitted(make_open_statement(), country="JO", kind="community")
    assert cosigning.signature_confirm(token=token_from_mail("confirm")).acted
    signature.refresh_from_db()
    organization = signature.organization
    assert signature.organization_created
    assert (organization.name, organization.slug, organization.domain) == (
        "Rukban Aid Committee",
        "rukban-aid-committee",
        "rukban.example.org",
    )
    assert (organization.country.code, organization.kind) == ("JO", "community")
    assert not organization.verified
    assert Organization.objects.count() == 1


def test_an_unconfirmed_submission_leaves_no_organization_behind(
    staff, django_capture_on_commit_callbacks
):
    statement = make_open_statement()
    with django_capture_on_commit_callbacks(execute=True):
        submitted(statement)
        submitted(statement, organization_name="Second Group", website="https://2.example.org")
    cosigning.signature_withdraw(token=token_from_mail("withdraw", mail.outbox[0]))
    cosigning.signature_reject(signature=Signature.objects.get(state=State.SUBMITTED), by=staff)
    assert not Organization.objects.exists()


def test_a_known_organization_is_matched_not_duplicated():
    known = make_organization(name="Rukban Aid Committee")
    signature = submitted(make_open_statement(), organization_name="rukban aid committee")
    assert signature.organization == known
    assert not signature.organization_created
    assert Organization.objects.count() == 1


def test_a_new_organization_signs_once_before_it_exists():
    statement = make_open_statement()
    first = submitted(statement)
    with pytest.raises(cosigning.AlreadySigned) as error:
        submitted(statement, organization_name="RUKBAN AID COMMITTEE", signer_email="b@x.example")
    assert error.value.signature == first
    assert Signature.objects.count() == 1


def test_an_organization_signs_once():
    statement = make_open_statement()
    first = submitted(statement)
    with pytest.raises(cosigning.AlreadySigned) as error:
        submitted(statement, signer_email="other@rukban.example.org")
    assert error.value.signature == first
    assert Signature.objects.count() == 1


def test_a_withdrawn_organization_can_sign_again_on_the_same_row(
    django_capture_on_commit_callbacks,
):
    statement = make_open_statement()
    with django_capture_on_commit_callbacks(execute=True):
        first = submitted(statement)
    cosigning.signature_withdraw(token=token_from_mail("withdraw"))
    again = submitted(statement, signer_name="Omar Saleh")
    assert again.pk == first.pk
    assert again.state == State.SUBMITTED
    assert again.signer_name == "Omar Saleh"


def test_confirming_moves_to_confirmed_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signature = submitted(make_open_statement())
    token = token_from_mail("confirm")
    result = cosigning.signature_confirm(token=token)
    assert result.acted
    signature.refresh_from_db()
    assert signature.state == State.CONFIRMED
    assert signature.confirmed_at is not None
    again = cosigning.signature_confirm(token=token)
    assert not again.acted
    assert again.problem == "used"


def test_an_expired_or_unknown_token_changes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signature = submitted(make_open_statement())
    token = token_from_mail("confirm")
    SignatureToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert cosigning.signature_confirm(token=token).problem == "expired"
    assert cosigning.signature_confirm(token=token + "x").problem == "unknown"
    assert cosigning.signature_confirm(token=token_from_mail("withdraw")).problem == "unknown"
    signature.refresh_from_db()
    assert signature.state == State.SUBMITTED


def test_auto_approval_needs_the_statement_to_allow_it_and_a_matching_domain(
    django_capture_on_commit_callbacks,
):
    statement = make_open_statement(cosign_auto_approve=True)
    make_organization(
        name="Rukban Aid Committee", website="https://rukban.example.org", verified=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        matching = submitted(statement)
        other = submitted(
            statement,
            organization_name="Other group",
            website="https://other.example.org",
            signer_email="someone@gmail.example.com",
        )
    confirm_matching = token_from_mail("confirm", mail.outbox[0])
    confirm_other = token_from_mail("confirm", mail.outbox[1])
    with django_capture_on_commit_callbacks(execute=True):
        cosigning.signature_confirm(token=confirm_matching)
        cosigning.signature_confirm(token=confirm_other)
    matching.refresh_from_db()
    other.refresh_from_db()
    assert matching.state == State.APPROVED
    assert other.state == State.CONFIRMED
    assert [e.kind for e in matching.events.all()][-1] == SignatureEvent.Kind.AUTO_APPROVED
    listed = [m for m in mail.outbox if m.subject.startswith("You are listed")]
    assert [m.to for m in listed] == [["layla@rukban.example.org"]]


def test_staff_approve_and_the_signer_is_told_once(staff, django_capture_on_commit_callbacks):
    statement = make_open_statement()
    with django_capture_on_commit_callbacks(execute=True):
        signature = submitted(statement)
    cosigning.signature_confirm(token=token_from_mail("confirm"))
    with django_capture_on_commit_callbacks(execute=True):
        cosigning.signature_approve(signature=signature, by=staff)
    signature.refresh_from_db()
    assert signature.state == State.APPROVED
    assert signature.events.last().actor == staff
    message = mail.outbox[-1]
    assert message.subject == f"You are listed: {statement.title}"
    assert f"http://127.0.0.1:8000{statement.get_absolute_url()}" in message.body
    with pytest.raises(ValidationError):
        cosigning.signature_approve(signature=signature, by=staff)
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.SIGNATURE_LISTED).count() == 1


def test_approval_gives_the_logo_to_an_organization_without_one(staff):
    from django.core.files.base import ContentFile

    from tests.factories import image_bytes

    signature = confirmed(make_open_statement())
    signature.logo.save("logo.png", ContentFile(image_bytes()))
    cosigning.signature_approve(signature=signature, by=staff)
    assert Organization.objects.get(pk=signature.organization_id).logo


def test_staff_reject_a_pending_signature_only(staff):
    signature = submitted(make_open_statement())
    cosigning.signature_reject(signature=signature, by=staff, note="Not a real group")
    signature.refresh_from_db()
    assert signature.state == State.REJECTED
    assert signature.events.last().note == "Not a real group"
    with pytest.raises(ValidationError):
        cosigning.signature_reject(signature=signature, by=staff)


def test_withdrawing_an_approved_signature(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signature = submitted(make_open_statement())
    withdraw = token_from_mail("withdraw")
    cosigning.signature_confirm(token=token_from_mail("confirm"))
    cosigning.signature_approve(signature=signature, by=staff)
    assert cosigning.signature_withdraw(token=withdraw).acted
    signature.refresh_from_db()
    assert signature.state == State.WITHDRAWN
    assert not Signature.objects.listed().filter(pk=signature.pk).exists()
    assert cosigning.signature_withdraw(token=withdraw).problem == "used"


def test_a_confirm_link_after_withdrawal_is_too_late(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(make_open_statement())
    cosigning.signature_withdraw(token=token_from_mail("withdraw"))
    result = cosigning.signature_confirm(token=token_from_mail("confirm"))
    assert result.problem == "too_late"
    assert result.signature.state == State.WITHDRAWN


def test_resending_owes_a_new_email_only_to_an_unconfirmed_signer(
    django_capture_on_commit_callbacks,
):
    statement = make_open_statement()
    with django_capture_on_commit_callbacks(execute=True):
        submitted(statement)
        assert cosigning.signature_confirmation_resend(
            statement=statement, email="LAYLA@rukban.example.org"
        )
        assert not cosigning.signature_confirmation_resend(
            statement=statement, email="nobody@example.org"
        )
    assert len(mail.outbox) == 2
    # The newer email's link replaces the first one.
    first, second = (
        token_from_mail("confirm", mail.outbox[0]),
        token_from_mail("confirm", mail.outbox[1]),
    )
    assert first != second
    assert cosigning.signature_confirm(token=first).problem == "revoked"
    assert cosigning.signature_confirm(token=second).acted
    with django_capture_on_commit_callbacks(execute=True):
        assert not cosigning.signature_confirmation_resend(
            statement=statement, email="layla@rukban.example.org"
        )
    assert len(mail.outbox) == 2


def test_staff_get_one_digest_per_statement_with_the_new_confirmations(
    staff, django_capture_on_commit_callbacks
):
    first, second = make_open_statement(title="First"), make_open_statement(title="Second")
    with django_capture_on_commit_callbacks(execute=True):
        for statement, name in [(first, "Group A"), (first, "Group B"), (second, "Group C")]:
            confirmed(statement, organization_name=name, website=f"https://{name[-1]}.example.org")
        submitted(second, organization_name="Unconfirmed D", website="https://d.example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        digests = cosigning.cosign_digests_create()
    assert len(digests) == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["1 new co-signature: Second", "2 new co-signatures: First"]
    assert all(m.to == ["editor@example.org"] for m in mail.outbox)
    first_digest = next(m for m in mail.outbox if "First" in m.subject)
    assert "Group A" in first_digest.body and "Group B" in first_digest.body
    assert "Unconfirmed" not in "".join(m.body for m in mail.outbox)
    # Nothing new: nothing sent.
    with django_capture_on_commit_callbacks(execute=True):
        assert cosigning.cosign_digests_create() == []
    assert len(mail.outbox) == 2


def test_staff_add_a_signature_by_hand_approved_with_history(staff):
    statement = make_open_statement()
    signature = Signature(
        statement=statement, organization=make_organization(), signer_name="By phone"
    )
    cosigning.signature_add(signature=signature, by=staff)
    assert signature.state == State.APPROVED
    assert signature.source == Signature.Source.STAFF
    assert signature.events.get().kind == SignatureEvent.Kind.ADDED


def test_confirming_finds_an_organization_made_meanwhile_instead_of_a_second_one():
    first, second = make_open_statement(), make_open_statement()
    earlier = confirmed(first, organization_name="New Group", website="")
    later = confirmed(second, organization_name="NEW  GROUP", website="")
    assert later.organization == earlier.organization
    assert earlier.organization_created and not later.organization_created
    assert Organization.objects.count() == 1


def test_a_confirmation_that_finds_its_organization_already_signed_acts_not(
    staff, django_capture_on_commit_callbacks
):
    statement = make_open_statement()
    with django_capture_on_commit_callbacks(execute=True):
        signature = submitted(statement)
    by_phone = Signature(
        statement=statement, organization=make_organization(name="Rukban Aid Committee")
    )
    cosigning.signature_add(signature=by_phone, by=staff)
    result = cosigning.signature_confirm(token=token_from_mail("confirm"))
    assert (result.acted, result.problem) == (False, "already_signed")
    signature.refresh_from_db()
    assert (signature.state, signature.organization) == (State.SUBMITTED, None)
    assert SignatureToken.objects.filter(used_at__isnull=True, purpose="confirm").exists()


# Automatic approval: only an email at the domain of an organization staff verified,
# that existed before the signature and that the signer named as it is.


def auto_approving(**overrides) -> Signature:
    """A signature confirmed on a statement that approves matching signers automatically."""
    return confirmed(make_open_statement(cosign_auto_approve=True), **overrides)


def test_a_famous_name_with_the_signers_own_domain_is_left_for_review():
    signature = auto_approving(
        organization_name="Amnesty International",
        website="https://amnesty-intl.example.org",
        signer_email="press@amnesty-intl.example.org",
    )
    assert signature.organization_created
    assert signature.email_matches_domain()
    assert signature.state == State.CONFIRMED


def test_an_organization_nobody_on_staff_verified_vouches_for_no_one():
    make_organization(name="Rukban Aid Committee", website="https://rukban.example.org")
    signature = auto_approving()
    assert not signature.organization_created and signature.email_matches_domain()
    assert signature.state == State.CONFIRMED


def test_a_verified_organization_vouches_for_an_email_at_its_domain():
    make_organization(
        name="Rukban Aid Committee", website="https://rukban.example.org", verified=True
    )
    assert auto_approving().state == State.APPROVED


def test_a_name_with_an_invisible_character_is_the_name_itself():
    known = make_organization(
        name="Rukban Aid Committee", website="https://rukban.example.org", verified=True
    )
    signature = auto_approving(organization_name="Rukban\u200b Aid\u202e Committee")
    assert signature.organization == known
    assert signature.organization_name == "Rukban Aid Committee"
    assert signature.state == State.APPROVED
    assert Organization.objects.count() == 1


def test_a_look_alike_name_joins_the_organization_it_imitates_and_waits_for_review():
    known = make_organization(
        name="Rukban Aid Committee", website="https://rukban.example.org", verified=True
    )
    # A Cyrillic small a in "Rukban", from an address at the organization's own domain.
    signature = auto_approving(
        organization_name="Rukb\u0430n Aid Committee", website="https://rukban.example.net"
    )
    assert signature.organization == known
    assert Organization.objects.count() == 1
    assert signature.name_only_looks_like()
    assert signature.email_matches_domain()
    assert signature.state == State.CONFIRMED
