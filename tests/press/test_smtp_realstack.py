"""Press sends end to end: a real Celery worker, a real SMTP server that refuses on cue."""

import datetime
import threading
from collections import Counter
from contextlib import contextmanager
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from core import emails as retry_rules
from organizations.models import PressList, Suppression
from organizations.services import suppression_lift
from press import services as press
from press.models import Delivery, Distribution
from press.tasks import send_deliveries, sweep_deliveries
from statements.models import Statement
from tests.factories import (
    make_contact,
    make_distribution,
    make_journalists,
    make_statement,
)
from tests.support import links_in, wait_for

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]

FLAKY = "flaky@news.example.org"
GONE = "gone@news.example.org"


class Answering:
    """An aiosmtpd handler that answers each recipient's attempts as scripted.

    answers maps an address to the replies to its first, second... message; the
    last reply repeats, and an address without a script is accepted. Only what
    it answered 250 counts as accepted.
    """

    def __init__(self, answers: dict[str, list[str]]):
        self.answers = answers
        self.tries: Counter[str] = Counter()
        self.accepted: list[tuple[str, str]] = []  # (recipient, Message-ID)

    async def handle_DATA(self, server, session, envelope):
        [recipient] = envelope.rcpt_tos
        self.tries[recipient] += 1
        script = self.answers.get(recipient, ["250 OK"])
        answer = script[min(self.tries[recipient], len(script)) - 1]
        if answer.startswith("250"):
            message = message_from_bytes(envelope.original_content, policy=policy.default)
            self.accepted.append((recipient, message["Message-ID"]))
        return answer

    def accepted_ids(self) -> Counter[str]:
        return Counter(message_id for _, message_id in self.accepted)


@contextmanager
def answering_server(port: int, answers: dict[str, list[str]] | None = None):
    handler = Answering(answers or {})
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


class Refusing(Answering):
    """Answers as Answering does after DATA, and refuses GONE (or, at MAIL, our sender
    address) at the stage named with the answer given."""

    def __init__(self, stage: str, answer: str):
        super().__init__({})
        self.stage, self.answer = stage, answer
        self.raw: list[bytes] = []  # every message as it came off the wire

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.stage == "MAIL":  # our sender address, whoever the message is for
            return self.answer
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stage == "RCPT" and address == GONE:
            return self.answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.original_content)
        if self.stage == "DATA" and envelope.rcpt_tos == [GONE]:
            self.tries[GONE] += 1
            return self.answer
        return await super().handle_DATA(server, session, envelope)


@contextmanager
def refusing_server(port: int, stage: str = "", answer: str = ""):
    handler = Refusing(stage, answer)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


def message_id(delivery: Delivery) -> str:
    return f"<delivery-{delivery.pk}@{django_settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def delivery_state(delivery: Delivery) -> str:
    return f"{delivery.state}, {delivery.attempts} attempts, {delivery.last_response!r}"


def is_done(distribution: Distribution) -> bool:
    distribution.refresh_from_db()
    return distribution.status == Distribution.Status.DONE


def test_a_temporary_refusal_is_tried_again_and_accepted_once(
    celery_worker, smtp_port, finished, staff
):
    distribution = make_distribution(contacts=[make_contact(email=FLAKY)])
    with answering_server(smtp_port, {FLAKY: ["451 4.3.0 Try again later", "250 OK"]}) as smtp:
        press.distribution_confirm(distribution=distribution, by=staff)
        delivery = Delivery.objects.get(distribution=distribution)

        def tried_once() -> bool:
            delivery.refresh_from_db()
            return delivery.attempts == 1 and delivery.state in (
                Delivery.State.PENDING,
                Delivery.State.FAILED,
            )

        assert wait_for(tried_once), f"the first attempt did not end: {delivery_state(delivery)}"
        assert delivery.state == Delivery.State.PENDING, delivery_state(delivery)
        assert smtp.tries[FLAKY] == 1
        assert smtp.accepted == []
        assert "451" in delivery.last_response
        assert delivery.next_attempt_at > timezone.now()
        assert delivery.sent_at is None

        # Its retry time comes: the sweep queues it again.
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        sweep = sweep_deliveries.delay()
        assert wait_for(lambda: sweep.id in finished), "the worker is stuck"
        assert finished[sweep.id] == 1
        assert wait_for(lambda: is_done(distribution)), "the retry was never sent"

        assert smtp.tries[FLAKY] == 2
        assert smtp.accepted_ids() == {message_id(delivery): 1}
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 2)
        assert delivery.sent_at is not None
        assert delivery.last_response.startswith("250")


def test_a_permanent_refusal_fails_at_once_and_is_never_tried_again(
    celery_worker, smtp_port, finished, staff
):
    gone = make_contact(email=GONE)
    fine = make_contact(email="fine@news.example.org")
    distribution = make_distribution(contacts=[gone, fine])
    with answering_server(smtp_port, {GONE: ["550 5.1.1 No such user"]}) as smtp:
        press.distribution_confirm(distribution=distribution, by=staff)
        refused = Delivery.objects.get(contact=gone)
        assert wait_for(lambda: is_done(distribution)), (
            f"the worker did not finish: {press.delivery_progress(distribution)}"
        )
        refused.refresh_from_db()
        assert (refused.state, refused.attempts) == (Delivery.State.FAILED, 1)
        assert "550" in refused.last_response, delivery_state(refused)
        assert refused.sent_at is None
        # The refusal did not cost the other journalist, on the same connection.
        assert Delivery.objects.get(contact=fine).state == Delivery.State.SENT

        sweep = sweep_deliveries.delay()
        assert wait_for(lambda: sweep.id in finished), "the worker is stuck"
        assert finished[sweep.id] == 0

        assert smtp.tries[GONE] == 1
        assert [rcpt for rcpt, _ in smtp.accepted] == [fine.email]
        refused.refresh_from_db()
        assert (refused.state, refused.attempts) == (Delivery.State.FAILED, 1)


def test_senders_racing_on_one_distribution_send_each_message_once(
    celery_worker, smtp_port, finished, staff
):
    desk = PressList.objects.create(name="Wire services")
    journalists = make_journalists(300, desk)
    distribution = make_distribution(lists=[desk])
    thread_sent: list[int] = []
    errors: list[BaseException] = []

    with answering_server(smtp_port) as smtp:
        # Confirming queues the range for the worker; while it sends, the same
        # range is queued twice more and two threads send it too.
        press.distribution_confirm(distribution=distribution, by=staff)
        ids = list(distribution.deliveries.order_by("pk").values_list("pk", flat=True))
        lo, hi = ids[0], ids[-1]
        send_deliveries.delay(distribution.pk, lo, hi)
        send_deliveries.delay(distribution.pk, lo, hi)
        start = threading.Barrier(2)

        def sender() -> None:
            try:
                start.wait()
                thread_sent.append(
                    press.deliveries_send(distribution_id=distribution.pk, lo=lo, hi=hi)
                )
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        assert wait_for(lambda: len(finished) == 3, seconds=60), "the worker is stuck"

        accepted = smtp.accepted_ids()
        assert len(accepted) == 300, press.delivery_progress(distribution)
        assert [message_id for message_id, count in accepted.items() if count > 1] == []
        assert sorted(rcpt for rcpt, _ in smtp.accepted) == sorted(j.email for j in journalists)

    assert sum(thread_sent) + sum(finished.values()) == 300
    assert press.delivery_progress(distribution)["sent"] == 300
    assert set(distribution.deliveries.values_list("attempts", flat=True)) == {1}
    assert is_done(distribution)


def test_a_worker_whose_claim_was_given_away_does_not_finish_the_message(
    smtp_port, monkeypatch, staff
):
    desk = PressList.objects.create(name="Wire services")
    make_journalists(5, desk)
    distribution = make_distribution(lists=[desk])
    # Tasks run inline, to no server.
    press.distribution_confirm(distribution=distribution, by=staff)
    distribution.deliveries.update(state=Delivery.State.PENDING, next_attempt_at=timezone.now())
    other_claim = timezone.now() + datetime.timedelta(minutes=11)
    waits = []

    def slow_worker() -> None:
        # Before the third message, this worker has held its batch past CLAIM_TIMEOUT:
        # the sweep gave the unsent rows back and another worker claimed them.
        waits.append(1)
        if len(waits) == 3:
            distribution.deliveries.filter(state=Delivery.State.SENDING).update(
                claimed_at=other_claim
            )

    monkeypatch.setattr(press, "_rate_wait", slow_worker)
    with answering_server(smtp_port) as smtp:
        assert press.deliveries_send(distribution_id=distribution.pk, lo=0, hi=10**9) == 2
    ids = list(distribution.deliveries.order_by("pk").values_list("pk", flat=True))
    assert smtp.accepted_ids() == {message_id(Delivery(pk=pk)): 1 for pk in ids[:2]}
    # The other worker's rows are left as it holds them, for it to send.
    assert (
        list(distribution.deliveries.filter(pk__in=ids[2:]).values_list("state", "claimed_at"))
        == [(Delivery.State.SENDING, other_claim)] * 3
    )


def test_a_server_that_cannot_be_reached_is_tried_again_then_given_up(smtp_port, staff):
    # Nothing listens on smtp_port: every connection is refused.
    first, last = make_contact(email="first@news.example.org"), make_contact(email=FLAKY)
    distribution = make_distribution(contacts=[first, last])
    press.distribution_confirm(distribution=distribution, by=staff)
    distribution.deliveries.filter(contact=first).update(attempts=0)
    distribution.deliveries.filter(contact=last).update(attempts=retry_rules.MAX_ATTEMPTS - 1)
    distribution.deliveries.update(state=Delivery.State.PENDING, next_attempt_at=timezone.now())

    assert press.deliveries_send(distribution_id=distribution.pk, lo=0, hi=10**9) == 0

    tried_again = Delivery.objects.get(contact=first)
    assert (tried_again.state, tried_again.attempts) == (Delivery.State.PENDING, 1)
    assert tried_again.next_attempt_at > timezone.now()
    given_up = Delivery.objects.get(contact=last)
    assert (given_up.state, given_up.attempts) == (Delivery.State.FAILED, retry_rules.MAX_ATTEMPTS)
    assert "refused" in given_up.last_response.lower(), given_up.last_response


def test_a_message_being_written_when_staff_stop_the_send_is_dropped(smtp_port, monkeypatch, staff):
    desk = PressList.objects.create(name="Wire services")
    make_journalists(5, desk)
    distribution = make_distribution(lists=[desk])
    # Tasks run inline, to no server.
    press.distribution_confirm(distribution=distribution, by=staff)
    distribution.deliveries.update(state=Delivery.State.PENDING, next_attempt_at=timezone.now())
    waits = []

    def staff_stop_before_the_third() -> None:
        waits.append(1)
        if len(waits) == 3:
            press.distribution_cancel(distribution=distribution, by=staff)

    monkeypatch.setattr(press, "_rate_wait", staff_stop_before_the_third)
    with answering_server(smtp_port) as smtp:
        assert press.deliveries_send(distribution_id=distribution.pk, lo=0, hi=10**9) == 2
    ids = list(distribution.deliveries.order_by("pk").values_list("pk", flat=True))
    assert smtp.accepted_ids() == {message_id(Delivery(pk=pk)): 1 for pk in ids[:2]}
    assert press.delivery_progress(distribution)["cancelled"] == 3


@pytest.mark.parametrize(
    ("stage", "answer"),
    [("RCPT", "550 5.1.1 No such user"), ("DATA", "554 5.2.1 Mailbox disabled")],
)
def test_a_permanent_refusal_suppresses_the_address_until_staff_lift_it(
    smtp_port, staff, stage, answer
):
    gone, fine = make_contact(email=GONE), make_contact(email="fine@news.example.org")
    with refusing_server(smtp_port, stage, answer) as smtp:
        press.distribution_confirm(distribution=make_distribution(contacts=[gone, fine]), by=staff)
        suppression = Suppression.objects.active().get()
        assert (suppression.email, suppression.reason) == (GONE, Suppression.Reason.HARD_BOUNCE)
        assert answer.split()[0] in suppression.detail

        # The next send skips the address instead of trying it again.
        later = make_distribution(contacts=[gone, fine])
        press.distribution_confirm(distribution=later, by=staff)
        assert later.deliveries.get(contact=gone).state == Delivery.State.SUPPRESSED
        assert [rcpt for rcpt, _ in smtp.accepted] == [fine.email, fine.email]

        suppression_lift(suppression=suppression, by=staff, reason="A new mailbox, they wrote.")
        again = make_distribution(contacts=[gone])
        press.distribution_confirm(distribution=again, by=staff)
        assert again.deliveries.get().state == Delivery.State.FAILED  # tried, refused again
        assert Suppression.objects.active().get().email == GONE


def test_a_refusal_of_our_own_sender_address_suppresses_nobody(smtp_port, staff):
    with refusing_server(smtp_port, "MAIL", "553 5.7.1 Sender address rejected"):
        press.distribution_confirm(
            distribution=make_distribution(contacts=[make_contact()]), by=staff
        )
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.FAILED
    assert "553" in delivery.last_response
    assert not Suppression.objects.exists()


def test_the_one_click_unsubscribe_headers_go_out_as_plain_ascii(smtp_port, settings, staff):
    # Long enough that Python's email package would fold or encode the header.
    settings.SITE_URL = "https://statements.example-coalition.org"
    distribution = make_distribution(contacts=[make_contact(email="desk@news.example.org")])
    with refusing_server(smtp_port) as smtp:
        press.distribution_confirm(distribution=distribution, by=staff)
    assert len(smtp.accepted) == 1
    [raw] = smtp.raw
    text = message_from_bytes(raw, policy=policy.default).get_body(("plain",)).get_content()
    [unsubscribe] = [link for link in links_in(text) if "/press/unsubscribe/" in link]
    assert unsubscribe.startswith("https://statements.example-coalition.org/press/unsubscribe/")
    header = f"List-Unsubscribe: <{unsubscribe}>\r\n".encode("ascii")
    assert b"\r\n" + header in raw
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    assert b"=?" not in raw.split(b"\r\n\r\n", 1)[0]  # no encoded word in any header


def test_each_journalist_gets_the_release_in_their_language_over_smtp(smtp_port, staff):
    original = make_statement(
        title="Open the crossings",
        body="The crossings must open.",
        status=Statement.Status.PUBLISHED,
    )
    make_statement(
        translation_of=original,
        language="ar",
        title="افتحوا المعابر",
        slug="iftahu-al-maabir",
        body="يجب فتح المعابر.",
        status=Statement.Status.PUBLISHED,
    )
    arab = make_contact(email="arab@news.example.org", language="ar")
    english = make_contact(email="english@news.example.org", language="en")
    distribution = make_distribution(original, contacts=[arab, english], subject="Open them")
    with refusing_server(smtp_port) as smtp:
        press.distribution_confirm(distribution=distribution, by=staff)
    assert len(smtp.accepted) == 2
    messages = {
        message["To"]: message
        for message in (message_from_bytes(raw, policy=policy.default) for raw in smtp.raw)
    }
    to_arab = messages[arab.email]
    assert to_arab["Subject"] == "افتحوا المعابر"
    assert "يجب فتح المعابر." in to_arab.get_body(("plain",)).get_content()
    assert '<html lang="ar" dir="rtl">' in to_arab.get_body(("html",)).get_content()
    to_english = messages[english.email]
    assert to_english["Subject"] == "Open them"
    assert "The crossings must open." in to_english.get_body(("plain",)).get_content()
    assert '<html lang="en" dir="ltr">' in to_english.get_body(("html",)).get_content()
