"""A press send in each journalist's language: the release's translation in theirs, or the
original with the words around it in theirs."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organizations.models import Contact, PressList
from press import services as press
from press.models import Distribution
from statements.models import Statement
from statements.services import lifecycle
from tests.factories import make_distribution, make_journalists, make_staff, make_statement
from tests.support import links_in

pytestmark = pytest.mark.django_db

RTL = '<html lang="ar" dir="rtl">'
LTR = '<html lang="en" dir="ltr">'


def html_of(message) -> str:
    [(html, _mimetype)] = message.alternatives
    return html


def release(**fields) -> Statement:
    original = make_statement(title="Open the crossings", body="The crossings must open.", **fields)
    return original


def arabic_translation(original: Statement, **fields) -> Statement:
    return make_statement(
        translation_of=original,
        language="ar",
        title="افتحوا المعابر",
        slug=f"iftahu-{original.pk}",
        body="يجب فتح المعابر.",
        **({"status": original.status, "publish_at": original.publish_at} | fields),
    )


def journalists(desk, *languages: str) -> list[Contact]:
    contacts = make_journalists(len(languages), desk)
    for contact, language in zip(contacts, languages, strict=True):
        contact.language = language
        contact.save()
    return contacts


def by_address() -> dict:
    return {message.to[0]: message for message in mail.outbox}


def send(distribution, captured) -> None:
    with captured(execute=True):
        press.distribution_confirm(distribution=distribution, by=make_staff())


def test_each_journalist_gets_the_release_in_their_language(
    desk, django_capture_on_commit_callbacks
):
    original = release(status=Statement.Status.PUBLISHED)
    arabic_translation(original)
    arab, english = journalists(desk, "ar", "en")
    send(make_distribution(original, lists=[desk], subject="Coalition: open the crossings"),
         django_capture_on_commit_callbacks)  # fmt: skip
    sent = by_address()

    to_arab = sent[arab.email]
    assert to_arab.subject == "افتحوا المعابر"
    assert "يجب فتح المعابر." in to_arab.body
    assert "The crossings must open." not in to_arab.body
    assert "لإلغاء الاشتراك:" in to_arab.body
    assert any(f"/ar/statements/iftahu-{original.pk}/" in link for link in links_in(to_arab.body))
    assert all("/ar/press/unsubscribe/" in link for link in links_in(to_arab.body)
               if "/unsubscribe/" in link)  # fmt: skip
    html = html_of(to_arab)
    assert html.startswith(f"<!doctype html>\n{RTL}")
    assert '<div lang="ar" dir="rtl"' in html

    to_english = sent[english.email]
    assert to_english.subject == "Coalition: open the crossings"
    assert "The crossings must open." in to_english.body
    assert "يجب" not in to_english.body
    assert "Unsubscribe:" in to_english.body
    assert html_of(to_english).startswith(f"<!doctype html>\n{LTR}")


def test_without_an_arabic_translation_the_arabic_journalist_gets_the_original_in_arabic_words(
    desk, django_capture_on_commit_callbacks
):
    original = release(status=Statement.Status.PUBLISHED)
    journalists(desk, "ar")
    send(make_distribution(original, lists=[desk], subject="Open now"),
         django_capture_on_commit_callbacks)  # fmt: skip
    [message] = mail.outbox
    assert message.subject == "Open now"
    assert "The crossings must open." in message.body
    assert "تصلك هذه الرسالة بصفتك صحفيًا" in message.body
    html = html_of(message)
    assert html.startswith(f"<!doctype html>\n{RTL}")
    assert '<div lang="en" dir="ltr"' in html  # the English text inside, left to right


def test_a_translation_not_going_out_with_the_release_is_not_sent(
    desk, django_capture_on_commit_callbacks
):
    original = release(status=Statement.Status.PUBLISHED)
    arabic_translation(original, status=Statement.Status.DRAFT)
    journalists(desk, "ar")
    send(make_distribution(original, lists=[desk]), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert "The crossings must open." in message.body
    assert "يجب فتح المعابر." not in message.body


def test_the_embargo_line_spells_out_its_time_zone_in_either_language(
    desk, django_capture_on_commit_callbacks, client, staff
):
    original = release()
    embargo = (timezone.now() + datetime.timedelta(days=2)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    lifecycle.statement_schedule(statement=original, publish_at=embargo, by=staff)
    original.refresh_from_db()
    arabic_translation(original)
    arab, english = journalists(desk, "ar", "en")
    send(make_distribution(original, lists=[desk], when=Distribution.When.NOW),
         django_capture_on_commit_callbacks)  # fmt: skip
    sent = by_address()
    local = timezone.localtime(embargo)
    english_line = f"EMBARGOED UNTIL {local:%A %-d %B %Y}, 09:00 Coordinated Universal Time."
    assert sent[english.email].body.startswith(english_line)
    assert sent[english.email].subject.startswith(
        f"EMBARGOED UNTIL {local:%-d %B %Y}, 09:00 Coordinated Universal Time: "
    )
    to_arab = sent[arab.email]
    assert to_arab.body.startswith("محظور النشر حتى ")
    assert "الساعة 09:00 (التوقيت العالمي المنسّق). لا يجوز نشره أو بثّه قبل ذلك." in to_arab.body
    assert to_arab.subject.endswith("(التوقيت العالمي المنسّق): افتحوا المعابر")

    # The Arabic journalist's private preview shows the Arabic text, in Arabic.
    [preview] = [link for link in links_in(to_arab.body) if "/press/preview/" in link]
    assert "/ar/press/preview/" in preview
    page = client.get(preview.split("127.0.0.1:8000", 1)[-1])
    assert page.status_code == 200
    text = page.content.decode()
    assert "افتحوا المعابر" in text
    assert "محظور النشر حتى" in text


def queries_to_send(languages: list[str]) -> int:
    desk = PressList.objects.create(name=f"Desk of {len(languages)}")
    original = release(status=Statement.Status.PUBLISHED)
    arabic_translation(original)
    journalists(desk, *languages)
    distribution = make_distribution(original, lists=[desk])
    # Rows written, tasks not run.
    press.distribution_confirm(distribution=distribution, by=make_staff())
    ids = list(distribution.deliveries.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        assert press.deliveries_send(distribution_id=distribution.pk, lo=ids[0], hi=ids[-1]) == (
            len(languages)
        )
    return len(queries)


def test_the_release_is_read_once_per_language_not_once_per_journalist(settings):
    settings.PRESS_RATE_PER_MINUTE = 10_000
    few = queries_to_send(["ar", "en"])
    many = queries_to_send(["ar", "en"] * 5)
    # Each further journalist costs its own two writes (its links' tokens, then marked
    # sent), whatever their language: nothing about the release is read again.
    assert many - few == 8 * 2


def test_the_test_copy_of_an_arabic_release_is_in_arabic(
    desk, django_capture_on_commit_callbacks, staff
):
    statement = make_statement(
        title="افتحوا المعابر", language="ar", status=Statement.Status.PUBLISHED
    )
    distribution = make_distribution(statement, lists=[desk], subject="افتحوا المعابر الآن")
    with django_capture_on_commit_callbacks(execute=True):
        press.press_test_copy_send(distribution=distribution, to="staff@example.org", by=staff)
    [message] = mail.outbox
    assert message.subject == "[تجربة] افتحوا المعابر الآن"
    assert "لإلغاء الاشتراك:" in message.body
    assert html_of(message).startswith(f"<!doctype html>\n{RTL}")
