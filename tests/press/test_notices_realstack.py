"""Correction and retraction notices over a real SMTP server: to the journalists who
received the release, in the language they read it in, once each, and to nobody else."""

from email import message_from_bytes, policy

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from core.links import absolute
from organizations.models import PressList, Suppression
from organizations.services import suppression_add
from press import services as press
from press.models import Delivery, Distribution
from press.tasks import send_deliveries
from statements.models import Statement, StatementUpdate, Version
from statements.services import lifecycle
from statements.services.signoff import version_freeze
from statements.signals import statement_corrected, statement_retracted
from tests.factories import make_contact, make_distribution, make_statement
from tests.press.test_smtp_realstack import refusing_server
from tests.support import links_in

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _comparison_resolves(settings):
    settings.ROOT_URLCONF = "tests.press.compare_urls"


class Release:
    """An English release with its Arabic translation, sent to two journalists who read
    it (one in each language), to one who was sent it and is suppressed since; a list
    journalist added after it went, and a journalist of another statement's release."""

    def __init__(self, smtp_port, staff):
        self.original = make_statement(
            title="Open the crossings",
            slug="open-the-crossings",
            body="At least 64 people died.",
            status=Statement.Status.PUBLISHED,
        )
        self.arabic = make_statement(
            translation_of=self.original,
            language="ar",
            title="افتحوا المعابر",
            slug="iftahu-al-maabir",
            body="مات ما لا يقل عن 64 شخصا.",
            status=Statement.Status.PUBLISHED,
        )
        self.first = version_freeze(
            statement=self.original, reason=Version.Reason.PUBLICATION, by=staff
        )
        self.desk = PressList.objects.create(name="Desks")
        self.english = make_contact(email="english@news.example.org", language="en")
        self.arab = make_contact(email="arab@news.example.org", language="ar")
        self.gone = make_contact(email="gone@news.example.org", language="en")
        self.desk.contacts.add(self.english, self.arab, self.gone)
        self.other = make_contact(email="other@news.example.org", language="en")
        with refusing_server(smtp_port):
            press.distribution_confirm(
                distribution=make_distribution(
                    self.original, lists=[self.desk], subject="Open them"
                ),
                by=staff,
            )
            press.distribution_confirm(
                distribution=make_distribution(contacts=[self.other]), by=staff
            )
        assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 4
        self.late = make_contact(email="late@news.example.org", language="en")
        self.desk.contacts.add(self.late)
        suppression_add(email=self.gone.email, reason=Suppression.Reason.UNSUBSCRIBED)

    def correct(self, statement: Statement, body: str, staff) -> StatementUpdate:
        Statement.objects.filter(pk=statement.pk).update(body=body)
        statement.refresh_from_db()
        new = version_freeze(statement=self.original, reason=Version.Reason.CORRECTION, by=staff)
        return StatementUpdate.objects.create(
            statement=statement,
            kind=StatementUpdate.Kind.CORRECTION,
            text="Corrected on 12 October: the death toll was 46, not 64.",
            version=new,
            previous_version=self.first,
            published_at=new.created_at,
            created_by=staff,
        )


def corrected(update: StatementUpdate, *, notify_press: bool = True) -> None:
    """As the correction service does: the signal, in the correction's transaction."""
    with transaction.atomic():
        statement_corrected.send(
            sender=Statement, statement=update.statement, update=update, notify_press=notify_press
        )


def send_again(distribution: Distribution) -> int:
    """The send task run once more over every row, as a second worker or the sweep would."""
    return send_deliveries.delay(distribution.pk, 0, 10**9).get()


def received(smtp) -> dict[str, object]:
    messages = [message_from_bytes(raw, policy=policy.default) for raw in smtp.raw]
    assert len({m["To"] for m in messages}) == len(messages), [m["To"] for m in messages]
    return {message["To"]: message for message in messages}


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_the_correction_notice_goes_once_to_who_read_the_corrected_text_and_nobody_else(
    smtp_port, staff
):
    release = Release(smtp_port, staff)
    update = release.correct(release.original, "At least 46 people died.", staff)
    with refusing_server(smtp_port) as smtp:
        corrected(update)
        corrected(update)  # sent twice: still one notice
        notice = Distribution.objects.get(kind=Distribution.Kind.CORRECTION)
        assert send_again(notice) == 0
        assert press.deliveries_send(distribution_id=notice.pk, lo=0, hi=10**9) == 0

    messages = received(smtp)
    assert list(messages) == [release.english.email]
    [message] = messages.values()
    assert message["Subject"] == "CORRECTION: Open the crossings"
    text = text_of(message)
    assert "Corrected on 12 October: the death toll was 46, not 64." in text
    assert "- At least 64 people died.\n+ At least 46 people died." in text
    links = links_in(text)
    assert absolute(update.get_absolute_url()) in links
    assert absolute(update.comparison_url()) in links
    html = message.get_body(("html",)).get_content()
    assert "<del>64</del>" in html and "<ins>46</ins>" in html
    # The release's headers, and an unsubscribe link of the journalist's own.
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    delivery = notice.deliveries.get(state=Delivery.State.SENT)
    assert (
        message["Message-ID"]
        == f"<delivery-{delivery.pk}@{django_settings.EMAIL_MESSAGE_ID_DOMAIN}>"
    )
    assert delivery.contact == release.english
    # Sent the release, unsubscribed since: skipped.
    assert notice.deliveries.get(contact=release.gone).state == Delivery.State.SUPPRESSED
    assert notice.deliveries.count() == 2
    assert delivery.unsubscribe_token_hash
    assert (notice.update, notice.statement, notice.status) == (
        update,
        release.original,
        Distribution.Status.DONE,
    )


def test_a_correction_of_the_arabic_text_goes_to_who_read_it_in_arabic(smtp_port, staff):
    release = Release(smtp_port, staff)
    update = release.correct(release.arabic, "مات ما لا يقل عن 46 شخصا.", staff)
    with refusing_server(smtp_port) as smtp:
        corrected(update)
    messages = received(smtp)
    assert list(messages) == [release.arab.email]
    message = messages[release.arab.email]
    assert message["Subject"] == "تصحيح: افتحوا المعابر"
    assert '<html lang="ar" dir="rtl">' in message.get_body(("html",)).get_content()
    assert "+ مات ما لا يقل عن 46 شخصا." in text_of(message)


def test_no_correction_notice_when_staff_chose_not_to_tell_the_press(smtp_port, staff):
    release = Release(smtp_port, staff)
    update = release.correct(release.original, "At least 64 people died!", staff)
    with refusing_server(smtp_port) as smtp:
        corrected(update, notify_press=False)
    assert smtp.raw == []
    assert not Distribution.objects.filter(kind=Distribution.Kind.CORRECTION).exists()


def test_the_retraction_notice_goes_once_to_every_reader_of_the_release_in_their_language(
    smtp_port, staff, client
):
    release = Release(smtp_port, staff)
    replacing = make_statement(
        title="The crossings, corrected", slug="corrected", status=Statement.Status.PUBLISHED
    )
    with refusing_server(smtp_port) as smtp:
        lifecycle.statement_retract(
            statement=release.original,
            note="The casualty figures were wrong.",
            corrected_by=replacing,
            by=staff,
        )
        with transaction.atomic():  # told twice: still one notice
            statement_retracted.send(
                sender=Statement, statement=release.original, notify_press=True
            )
        notice = Distribution.objects.get(kind=Distribution.Kind.RETRACTION)
        assert send_again(notice) == 0

    messages = received(smtp)
    assert sorted(messages) == [release.arab.email, release.english.email]
    english = messages[release.english.email]
    assert english["Subject"] == "RETRACTED: Open the crossings"
    text = text_of(english)
    assert "The casualty figures were wrong." in text
    assert absolute(replacing.get_absolute_url()) in links_in(text)
    assert absolute(release.original.get_absolute_url()) in links_in(text)
    arab = messages[release.arab.email]
    assert arab["Subject"] == "مسحوب: افتحوا المعابر"
    assert absolute(release.arabic.get_absolute_url()) in links_in(text_of(arab))
    assert notice.deliveries.get(contact=release.gone).state == Delivery.State.SUPPRESSED
    assert notice.deliveries.count() == 3

    # The page keeps the notice, links the replacing statement and offers no sharing.
    html = client.get(release.original.get_absolute_url()).content.decode()
    assert "The casualty figures were wrong." in html
    assert 'href="/statements/corrected/"' in html
    assert 'id="share"' not in html


def test_no_retraction_notice_when_staff_chose_not_to_tell_the_press(smtp_port, staff):
    release = Release(smtp_port, staff)
    with refusing_server(smtp_port) as smtp:
        lifecycle.statement_retract(
            statement=release.original, note="Wrong.", notify_press=False, by=staff
        )
    assert smtp.raw == []
    assert not Distribution.objects.filter(kind=Distribution.Kind.RETRACTION).exists()
