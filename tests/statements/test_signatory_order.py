"""The order of a statement's signatories: issuers first, headings, the pinned, then the
statement's order, with names sorted by the collation of the statement's language."""

import datetime

import pytest
from django.utils import timezone, translation

from core.names import family_name_first, organization_sort_name
from statements.counts import signatory_count_text, signed_by_text
from statements.models import SignatoryGroup, Signature, Statement
from statements.selectors import individuals_page, signatory_counts, signatory_list
from tests.factories import make_individuals, make_organization, make_statement

pytestmark = pytest.mark.django_db


def _sign(statement, name, **fields):
    organization_fields = {
        k.removeprefix("org_"): fields.pop(k) for k in list(fields) if k.startswith("org_")
    }
    organization = make_organization(name=name, **organization_fields)
    return Signature.objects.create(statement=statement, organization=organization, **fields)


def _names(statement, language=None):
    return [s.name for s in signatory_list(statement, language=language).organizations]


def test_it_sorts_organizations_ignoring_a_leading_the():
    statement = make_statement()
    for name in ["Zeta Aid", "The Syria Campaign", "Amal Relief", "Theatre for Peace"]:
        _sign(statement, name)
    assert _names(statement) == [
        "Amal Relief",
        "The Syria Campaign",
        "Theatre for Peace",
        "Zeta Aid",
    ]


def test_it_sorts_accented_names_beside_their_letters_not_after_z():
    statement = make_statement(language="fr")
    for name in ["Zoé Solidarité", "Élan Citoyen", "Entraide", "Ecole Libre"]:
        _sign(statement, name)
    assert _names(statement) == ["Ecole Libre", "Élan Citoyen", "Entraide", "Zoé Solidarité"]


def test_it_sorts_arabic_names_in_the_order_of_the_arabic_alphabet():
    statement = make_statement(language="ar")
    # By code point the hamza forms of alif come before alif; readers put them with it.
    for name in ["ياسر للإغاثة", "تجمع المحامين", "أمل", "بسمة", "ابتسامة"]:
        _sign(statement, name)
    names = _names(statement)
    assert names[-1] == "ياسر للإغاثة"
    assert names.index("بسمة") < names.index("تجمع المحامين") < names.index("ياسر للإغاثة")
    assert {names[0], names[1]} == {"أمل", "ابتسامة"}


def test_it_sorts_individuals_by_family_name_unless_staff_say_otherwise():
    statement = make_statement(signers=Statement.Signers.EVERYONE)
    for name, sort_as in [
        ("Amaka Okafor", ""),
        ("Ludwig van Beethoven", "Beethoven, Ludwig van"),
        ("Bob Adams", ""),
        ("Zainab Chaudhry", ""),
    ]:
        Signature.objects.create(
            statement=statement,
            kind=Signature.Kind.INDIVIDUAL,
            signer_name=name,
            sort_as=sort_as,
            consent_publish=True,
        )
    rows = individuals_page(statement).rows
    assert [r.name for r in rows] == [
        "Bob Adams",
        "Ludwig van Beethoven",
        "Zainab Chaudhry",
        "Amaka Okafor",
    ]
    assert all(r.url == "" and r.kind == Signature.Kind.INDIVIDUAL for r in rows)


def test_pinned_signatories_come_first_then_the_order():
    statement = make_statement()
    for name in ["Alpha", "Beta", "Gamma"]:
        _sign(statement, name, pinned=name == "Gamma")
    assert _names(statement) == ["Gamma", "Alpha", "Beta"]


def test_issuers_come_first_in_the_order_staff_gave_them():
    statement = make_statement()
    _sign(statement, "Zed Issuer", role=Signature.Role.ISSUER, position=1)
    _sign(statement, "Aleph Issuer", role=Signature.Role.ISSUER, position=2)
    _sign(statement, "Beta")
    listing = signatory_list(statement)
    assert [s.name for s in listing.issuers] == ["Zed Issuer", "Aleph Issuer"]
    assert [s.name for s in listing.organizations] == ["Beta"]


def test_by_country_sorts_by_the_countrys_name_in_the_language_then_name():
    statement = make_statement(signatory_order=Statement.SignatoryOrder.COUNTRY)
    _sign(statement, "Berlin Aid", org_country="DE")  # Germany / ألمانيا
    _sign(statement, "Amsterdam Aid", org_country="NL")  # Netherlands / هولندا
    _sign(statement, "Cairo Aid", org_country="EG")  # Egypt / مصر
    _sign(statement, "Nowhere Aid")
    assert _names(statement, "en") == ["Cairo Aid", "Berlin Aid", "Amsterdam Aid", "Nowhere Aid"]
    assert _names(statement, "ar") == ["Berlin Aid", "Cairo Aid", "Amsterdam Aid", "Nowhere Aid"]


def test_by_kind_follows_the_kinds_order_then_name():
    statement = make_statement(signatory_order=Statement.SignatoryOrder.KIND)
    _sign(statement, "Union B", org_kind="union")
    _sign(statement, "NGO B", org_kind="ngo")
    _sign(statement, "NGO A", org_kind="ngo")
    assert _names(statement) == ["NGO A", "NGO B", "Union B"]


def test_groups_make_headings_in_their_order_with_the_rest_last():
    statement = make_statement(signatory_grouping=Statement.SignatoryGrouping.GROUPS)
    lead = SignatoryGroup.objects.create(statement=statement, name="Lead organizations", position=1)
    endorsing = SignatoryGroup.objects.create(statement=statement, name="Endorsing", position=2)
    _sign(statement, "Zulu", group=lead)
    _sign(statement, "Alpha", group=endorsing)
    _sign(statement, "Beta", group=lead)
    _sign(statement, "Loose")
    with translation.override("en"):
        groups = signatory_list(statement).groups
    assert [(h, [r.name for r in rows]) for h, rows in groups] == [
        ("Lead organizations", ["Beta", "Zulu"]),
        ("Endorsing", ["Alpha"]),
        ("Other signatories", ["Loose"]),
    ]


def test_numbers_continue_across_headings_and_details_are_given():
    statement = make_statement(
        signatory_numbering=True, signatory_grouping=Statement.SignatoryGrouping.KIND
    )
    _sign(statement, "Union", org_kind="union", org_short_name="TU", org_country="US")
    _sign(statement, "Aid", org_kind="ngo")
    rows = signatory_list(statement).organizations
    assert [(r.name, r.number) for r in rows] == [("Aid", 1), ("Union", 2)]
    assert (rows[1].short_name, rows[1].country) == ("TU", "United States of America")


def test_late_signers_are_marked_with_the_day_they_joined():
    published = timezone.now() - datetime.timedelta(days=10)
    statement = make_statement(status=Statement.Status.PUBLISHED, published_at=published)
    _sign(statement, "Early", decided_at=published - datetime.timedelta(days=1))
    _sign(statement, "Late", decided_at=published + datetime.timedelta(days=3))
    make_individuals(statement, 2, decided_at=published + datetime.timedelta(days=4))
    listing = signatory_list(statement)
    joined = {r.name: r.joined_on for r in listing.organizations}
    assert joined == {
        "Early": None,
        "Late": timezone.localdate(published + datetime.timedelta(days=3)),
    }
    assert listing.late == 3


def test_the_logo_wall_shows_only_consenting_organizations():
    statement = make_statement(logo_wall=True)
    _sign(statement, "Shown", show_logo=True, org_logo="logos/shown.png")
    _sign(statement, "Withheld", org_logo="logos/withheld.png")
    assert [r.name for r in signatory_list(statement).logo_wall] == ["Shown"]


def test_counts_say_both_tiers_and_leave_out_the_unlisted():
    statement = make_statement(signers=Statement.Signers.EVERYONE)
    _sign(statement, "Issuer", role=Signature.Role.ISSUER)
    _sign(statement, "Signer")
    _sign(statement, "Pending", state=Signature.State.CONFIRMED)
    make_individuals(statement, 3)
    make_individuals(statement, 1, signer_name="", sort_key="", erased_at=timezone.now())
    counts = signatory_counts(statement)
    assert (counts["organizations"], counts["individuals"]) == (1, 3)
    assert signatory_list(statement).counts == {"organizations": 1, "individuals": 3}


@pytest.mark.parametrize(
    ("counts", "english", "arabic"),
    [
        ({"organizations": 1, "individuals": 0}, "Signed by 1 organization", "موقَّع من منظمة واحدة"),
        (
            {"organizations": 47, "individuals": 312},
            "Signed by 47 organizations and 312 individuals",
            "موقَّع من 47 منظمةً و312 فردًا",
        ),
        ({"organizations": 0, "individuals": 2}, "Signed by 2 individuals", "موقَّع من فردين"),
    ],
)
def test_the_counts_read_right_in_english_and_arabic(counts, english, arabic):
    with translation.override("en"):
        assert signed_by_text(counts) == english
    with translation.override("ar"):
        assert signed_by_text(counts) == arabic
    assert signatory_count_text(counts) in english


def test_the_one_person_constraint_holds_in_the_database():
    from django.db import IntegrityError, transaction

    statement = make_statement(signers=Statement.Signers.EVERYONE)
    fields = {"kind": Signature.Kind.INDIVIDUAL, "signer_name": "A B", "signer_email": "a@x.org"}
    Signature.objects.create(statement=statement, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(statement=statement, **(fields | {"signer_email": "A@X.org"}))


def test_name_keys():
    assert organization_sort_name("The Syria Campaign") == "Syria Campaign"
    assert organization_sort_name("Theatre") == "Theatre"
    assert family_name_first("Amaka  Okafor") == "Okafor Amaka"
    assert family_name_first("Cher") == "Cher"


def test_the_lists_follow_a_change_of_order_language_or_publication():
    # Their SQL is kept between renders: whatever it depends on must read anew.
    published = timezone.now() - datetime.timedelta(days=10)
    statement = make_statement(status=Statement.Status.PUBLISHED, published_at=published)
    _sign(statement, "Beta", position=1)
    _sign(statement, "Alpha", position=2)
    make_individuals(statement, 2, decided_at=published + datetime.timedelta(days=1))
    assert _names(statement) == ["Alpha", "Beta"]
    assert individuals_page(statement).late == 2

    statement.signatory_order = Statement.SignatoryOrder.MANUAL
    statement.published_at = published + datetime.timedelta(days=2)
    statement.save()
    _sign(statement, "Gamma", position=0)
    assert _names(statement) == ["Gamma", "Beta", "Alpha"]
    assert individuals_page(statement).late == 0
    other = make_statement()
    _sign(other, "Delta")
    assert _names(other) == ["Delta"]
