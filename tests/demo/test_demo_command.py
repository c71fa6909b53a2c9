import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from campaigns.models import Campaign
from organizations.models import Contact
from press.models import Distribution
from statements.models import Signature, SignoffEvent, Statement, StatementUpdate
from statements.services import signoff

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def logins(output: str) -> dict[str, tuple[str, str]]:
    """The logins the demo printed: role → (username, password)."""
    found = {}
    for line in output.splitlines():
        if "user: " in line:
            role, rest = line.split("user: ")
            username, password = rest.split("password: ")
            found[role.strip()] = (username.strip(), password.strip())
    return found


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

    username, password = logins(second)["Superuser"]
    login = {"login": username, "password": password}
    assert client.post("/accounts/login/?next=/admin/", login)["Location"] == "/admin/"
    assert client.get("/admin/").context["user"].is_superuser
    client.logout()
    assert password not in first

    for statement in Statement.objects.all():
        expected = 200 if statement.is_public() else 404
        assert client.get(statement.get_absolute_url()).status_code == expected, statement.slug

    # A published statement shows the answer it received.
    [update] = StatementUpdate.objects.public().filter(kind="response")
    assert update.kind == "response"
    assert update.responder in client.get(update.statement.get_absolute_url()).text
    # A corrected statement: its note, its earlier text and the comparison of the two.
    correction = StatementUpdate.objects.get(kind="correction")
    page = client.get(correction.statement.get_absolute_url()).content.decode()
    assert "wounded six people, not eight" in page
    compare = client.get(correction.comparison_url()).content.decode()
    assert "<del>eight</del>" in compare and "<ins>six</ins>" in compare
    earlier = (
        f"{correction.statement.get_absolute_url()}versions/{correction.previous_version.number}/"
    )
    assert "wounded eight other" in client.get(earlier).content.decode()

    # The active campaign asks readers to act: every kind but sharing, each live.
    campaign = Campaign.objects.get(is_active=True)
    calls = client.get(campaign.get_absolute_url()).context["calls_to_action"]
    assert [call.kind for call in calls] == ["contact", "cosign", "attend", "donate", "read_more"]
    ended = Campaign.objects.get(is_active=False)
    assert [c.schedule_state() for c in ended.calls_to_action.all()] == ["expired"]


def test_the_demo_has_a_release_in_english_and_arabic_approved_and_published_together(client):
    run_demo()
    original = Statement.objects.get(slug="keep-the-aid-route-to-northwest-syria-open")
    (arabic,) = original.translations.all()
    assert (original.language, arabic.language) == ("en", "ar")
    assert arabic.slug == "keep-the-aid-route-to-northwest-syria-open-ar"
    assert arabic.status == original.status == Statement.Status.PUBLISHED
    assert arabic.published_at == original.published_at
    assert arabic.is_up_to_date()
    # Approved through sign-off, the version holding both languages: no override.
    version = original.published_version
    assert version.content["translations"]["ar"]["title"] == arabic.title
    assert {a.organization.short_name for a in version.answers.all()} == {"AMAL", "OCN"}
    assert not signoff.signoff_missing(original)
    assert not original.signoff_events.filter(kind=SignoffEvent.Kind.OVERRIDDEN).exists()
    assert client.get(arabic.get_absolute_url()).status_code == 200
    # Arabic speakers among the partners and the journalists.
    assert Contact.objects.filter(language="ar", organization__short_name="AMAL").exists()
    assert Contact.objects.filter(language="ar", organization__kind="media").exists()
    assert Distribution.objects.filter(statement=original).exists()


def test_the_demo_has_a_privacy_notice_in_each_language_and_its_signers_consent(client):
    run_demo()
    for path, words in [("/privacy/", "What we keep when you sign"), ("/ar/privacy/", "حقوقك")]:
        assert words in client.get(path).content.decode()
    signature = Signature.objects.filter(source=Signature.Source.FORM).first()
    assert signature.consent_text.startswith("I am authorized to sign")
    assert signature.consented_at is not None


def test_the_demo_prints_one_working_login_per_role_with_a_new_password_each_run(client):
    first = logins(run_demo())
    second = logins(run_demo())
    assert list(second) == ["Superuser", "Editor", "Publisher", "Press officer", "Moderator"]
    for role, (username, password) in second.items():
        assert password != first[role][1], role
        login = {"login": username, "password": password}
        assert client.post("/accounts/login/?next=/admin/", login)["Location"] == "/admin/", role
        user = client.get("/admin/").context["user"]
        if role == "Superuser":
            assert user.is_superuser
        else:
            assert not user.is_superuser
            assert [group.name for group in user.groups.all()] == [role]
        client.logout()
    # Each does what its role may: the editor drafts, the publisher publishes.
    editor = User.objects.get(username=second["Editor"][0])
    assert editor.has_perm("statements.change_statement")
    assert not editor.has_perm("statements.publish_statement")
    assert User.objects.get(username=second["Publisher"][0]).has_perm(
        "statements.publish_statement"
    )


def test_the_demo_has_a_statement_signed_by_people_with_its_list_as_coalitions_print_it(client):
    run_demo()
    statement = Statement.objects.get(signers=Statement.Signers.EVERYONE)
    assert statement.signatory_numbering and statement.signatory_details and statement.logo_wall
    assert statement.signatory_grouping == Statement.SignatoryGrouping.GROUPS
    signatures = statement.signatures.listed()
    people = signatures.individuals()
    assert people.count() == 30
    assert people.exclude(sort_as="").count() == 2
    assert people.filter(signer_name__regex=r"[\u0600-\u06FF]").count() >= 5
    late = signatures.filter(decided_at__gt=statement.published_at)
    assert late.individuals().exists() and late.organizations().exists()
    assert signatures.filter(pinned=True).exists()
    assert signatures.filter(show_logo=True, organization__logo__gt="").exists()
    [group] = statement.signatory_groups.all()
    assert group.name == "Lead organizations" and group.signatures.count() == 3

    embed = client.get(f"/statements/{statement.slug}/embed/").content.decode()
    assert "Signed by 6 organizations and 30 individuals" in embed
    counts = client.get(f"/api/statements/{statement.slug}/").json()["signatory_counts"]
    assert counts == {"organizations": 6, "individuals": 30}
