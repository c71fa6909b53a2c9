import pytest
from django.urls import reverse

from statements.models import Statement, StatementUpdate, Version
from statements.services import corrections
from statements.services.signoff import version_freeze
from tests.factories import make_full_statement, make_signed_statement, make_staff

pytestmark = pytest.mark.django_db

NOTE = "The death toll was 46, not 64."


def full_statement(**fields):
    """make_full_statement(), with the fields it fixes changed."""
    statement = make_full_statement()
    for name, value in fields.items():
        setattr(statement, name, value)
    statement.save()
    return statement


def went_out(statement):
    statement.published_version = version_freeze(
        statement=statement, reason=Version.Reason.PUBLICATION
    )
    statement.save()
    return statement


def correct(statement, body="The strike killed 46 people.", note=NOTE, **kwargs):
    return corrections.statement_correct(
        statement=statement,
        by=make_staff(),
        changes={"body": body},
        note=note,
        override_reason="Agreed by phone.",
        **kwargs,
    )


@pytest.fixture
def corrected():
    """The market-strike statement, its first text (version 1) corrected (version 2)."""
    statement = full_statement(body="The strike killed 64 people.")
    went_out(statement)
    update = correct(statement)
    statement.refresh_from_db()
    return statement, update


def test_the_page_carries_the_note_and_links_the_comparison(client, corrected):
    statement, _update = corrected
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Corrected on" in page
    assert NOTE in page
    assert 'href="/statements/market-strike/compare/1/2/"' in page
    assert "Compare the two texts" in page
    assert "The strike killed 46 people." in page
    assert "The strike killed 64 people." not in page


def test_an_uncorrected_page_has_no_note(client):
    statement = went_out(make_full_statement())
    assert "Corrected on" not in client.get(statement.get_absolute_url()).content.decode()


def test_a_correction_awaiting_sign_off_is_not_on_the_page(client, staff):
    statement, _contacts = make_signed_statement(status=Statement.Status.PUBLISHED)
    went_out(statement)
    update = corrections.statement_correct(
        statement=statement,
        by=staff,
        changes={"body": "The corrected text."},
        note=NOTE,
        request_signoff=True,
    )
    page = client.get(statement.get_absolute_url()).content.decode()
    assert NOTE not in page
    assert "The first text." in page
    assert (
        client.get(f"/statements/{statement.slug}/versions/{update.version.number}/").status_code
        == 404
    )
    compare = f"/statements/{statement.slug}/compare/1/{update.version.number}/"
    assert client.get(compare).status_code == 404


def test_the_earlier_text_is_readable_at_its_own_address(client, corrected):
    _statement, update = corrected
    response = client.get("/statements/market-strike/versions/1/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This is an earlier text of the statement, replaced on" in page
    assert f'datetime="{update.posted_at:%Y-%m-%d}' in page
    assert "The strike killed 64 people." in page
    assert "The strike killed 46 people." not in page
    assert 'href="/statements/market-strike/"' in page
    assert '<meta name="robots" content="noindex">' in page
    assert response["Cache-Control"].startswith("public, max-age=0")


def test_the_current_text_redirects_to_the_page(client, corrected):
    response = client.get("/statements/market-strike/versions/2/")
    assert response.status_code == 302
    assert response["Location"] == "/statements/market-strike/"


def test_texts_that_were_never_public_are_not_found(client, staff):
    statement = full_statement(body="A draft text.")
    version_freeze(statement=statement, reason=Version.Reason.SIGNOFF)  # version 1
    statement.body = "The strike killed 64 people."
    went_out(statement)  # version 2
    correct(statement)  # version 3
    assert client.get("/statements/market-strike/versions/2/").status_code == 200
    for url in [
        "/statements/market-strike/versions/1/",
        "/statements/market-strike/versions/4/",
        "/statements/market-strike/compare/1/3/",
        "/statements/market-strike/compare/2/2/",
        "/statements/market-strike/compare/2/9/",
        "/statements/nothing-here/versions/1/",
        "/statements/nothing-here/compare/1/2/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get("/statements/market-strike/compare/2/3/").status_code == 200


def test_a_draft_has_no_texts_to_read(client):
    statement = full_statement(status=Statement.Status.DRAFT, published_at=None)
    version_freeze(statement=statement, reason=Version.Reason.SIGNOFF)
    assert client.get(f"/statements/{statement.slug}/versions/1/").status_code == 404


def test_the_comparison_marks_the_changed_words(client, corrected):
    _statement, update = corrected
    assert update.comparison_url() == reverse("statement_compare", args=["market-strike", 1, 2])
    response = client.get(update.comparison_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "The strike killed <del>64</del> people." in page
    assert "The strike killed <ins>46</ins> people." in page
    assert NOTE in page
    # Readable without colour: the legend says how changes are marked.
    assert "struck through" in page
    # Only the parts of the text, once each: no signatories, no other languages.
    assert page.count('<th scope="row">Body') == 1
    assert "Signed by" not in page
    assert response["Cache-Control"].startswith("public, max-age=0")


def test_two_corrections_compare_any_two_public_texts(client, corrected):
    statement, _first = corrected
    second = correct(statement, body="The strike killed 46 people, 12 of them children.")
    assert second.comparison_url() == "/statements/market-strike/compare/2/3/"
    page = client.get("/statements/market-strike/compare/1/3/").content.decode()
    assert "<del>64 people.</del>" in page
    assert "<ins>46 people, 12 of them children.</ins>" in page
    statement_page = client.get("/statements/market-strike/").content.decode()
    # The note at the top is the latest correction's.
    assert statement_page.count("Corrected on") == 1
    assert client.get("/statements/market-strike/versions/2/").status_code == 200


def test_an_arabic_statement_reads_right_to_left(client):
    statement = full_statement(language="ar", title="ضربة السوق", body="قتلت الضربة 64 شخصًا.")
    went_out(statement)
    update = correct(statement, body="قتلت الضربة 46 شخصًا.", note="كان عدد القتلى 46 لا 64.")
    assert update.comparison_url().startswith("/ar/statements/market-strike/compare/1/2/")
    page = client.get(statement.get_absolute_url()).content.decode()
    assert 'dir="rtl"' in page
    assert "صُحّح في" in page
    assert "كان عدد القتلى 46 لا 64." in page
    assert "قارن بين النصين" in page
    compare = client.get(update.comparison_url()).content.decode()
    assert '<html lang="ar" dir="rtl">' in compare
    assert '<td lang="ar" dir="rtl">' in compare
    assert "<ins>46</ins>" in compare
    earlier = client.get("/ar/statements/market-strike/versions/1/").content.decode()
    assert "هذا نص سابق للبيان" in earlier
    assert 'lang="ar" dir="rtl"' in earlier


@pytest.mark.parametrize("count", [1, 3])
def test_the_pages_cost_the_same_queries_however_many_corrections(
    client, django_assert_num_queries, count
):
    statement = went_out(full_statement(body="Text 0."))
    for n in range(1, count + 1):
        correct(statement, body=f"Text {n}.")
    last = count + 1
    with django_assert_num_queries(2):
        assert client.get(f"/statements/market-strike/compare/1/{last}/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/statements/market-strike/versions/1/").status_code == 200
    with django_assert_num_queries(10):
        assert client.get("/statements/market-strike/").status_code == 200


def test_the_note_is_the_correction_update(corrected):
    _statement, update = corrected
    assert StatementUpdate.objects.public().get() == update
    assert update.get_absolute_url() == f"/statements/market-strike/#update-{update.pk}"
