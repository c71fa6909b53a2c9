"""Making the demo: each statement is written as a draft and moved on by the services,
as staff would, so the demo shows what the site itself makes of it."""

import io
import secrets
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from campaigns.models import CallToAction, Campaign
from core.tokens import token_new
from demo.people import CONTACTS, COSIGNERS, JOURNALISTS, ORGANIZATIONS
from demo.texts import (
    ACTIVE_CAMPAIGN,
    CAMPAIGNS,
    ENDED_CAMPAIGN,
    MINISTER_MESSAGE,
    PRIVACY_NOTICES,
    ROLE_LOGINS,
    SCHEDULED_HOUR,
    SIGNED_OFF_BEFORE,
    STAFF_USERNAME,
    STATEMENTS,
    VIGIL_TIME,
)
from organizations.models import Contact, Organization, PressList
from press.models import Distribution
from press.services import distribution_confirm, distribution_create
from statements.forms import CosignForm
from statements.models import (
    Demand,
    PressContact,
    PrivacyNotice,
    Quote,
    RelatedLink,
    SignatoryGroup,
    Signature,
    SignatureToken,
    SignoffAnswer,
    SignoffToken,
    Statement,
    StatementUpdate,
)
from statements.services.corrections import statement_correct
from statements.services.cosigning import Cosign, signature_confirm, signature_submit
from statements.services.lifecycle import statement_publish, statement_retract, statement_schedule
from statements.services.signoff import signoff_answer, signoff_requests_send
from statements.services.translations import translation_create
from statements.services.updates import update_post


def logo_png(initials: str, color: str) -> ContentFile:
    """A 256 by 256 square in the organization's colour with its initials, as PNG bytes."""
    image = Image.new("RGB", (256, 256), color)
    font = ImageFont.load_default(size=256 // max(len(initials), 2))
    ImageDraw.Draw(image).text((128, 128), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


def organization_get_or_create(data: dict) -> Organization:
    fields = dict(data)
    color = fields.pop("logo_color", None)
    slug = fields.pop("slug", None) or slugify(fields["name"])
    # Staff may have deleted every statement but kept the organizations.
    organization, created = Organization.objects.get_or_create(slug=slug, defaults=fields)
    if created and color:
        organization.logo.save(f"{slug}.png", logo_png(organization.short_name, color))
    return organization


def slug_for(title: str) -> str:
    """The slugified title, cut at a word to at most 80 characters."""
    slug = slugify(title)
    return slug if len(slug) <= 80 else slug[:81].rsplit("-", 1)[0]


def next_morning(now: datetime) -> datetime:
    """09:00 tomorrow in the site's time zone."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, SCHEDULED_HOUR))


def statement_create(
    data: dict,
    *,
    organizations: dict[str, Organization],
    contacts: dict[str, Contact],
    campaigns: dict[str, Campaign],
    now: datetime,
    staff,
) -> Statement:
    publish_at = next_morning(now) if data.get("scheduled") else None
    release_date = timezone.localdate(publish_at) if publish_at else data.get("release_date")
    statement = Statement.objects.create(
        kind=data["kind"],
        title=data["title"],
        slug=data.get("slug") or slug_for(data["title"]),
        standfirst=data["standfirst"],
        dateline=data.get("dateline", ""),
        release_date=release_date,
        body=data["body"],
        language=data.get("language", "en"),
        cosign_open=data.get("cosign_open", False),
        campaign=campaigns[data["campaign"]] if "campaign" in data else None,
        **data.get("signatory_list", {}),
    )
    Demand.objects.bulk_create(
        Demand(statement=statement, position=position, heading=heading, text=text)
        for position, (heading, text) in enumerate(data.get("demands", []))
    )
    quotes_create(statement, data, organizations)
    roles = [(Signature.Role.ISSUER, name) for name in data.get("issuers", [])] + [
        (Signature.Role.SIGNATORY, name) for name in data.get("signatories", [])
    ]
    Signature.objects.bulk_create(
        Signature(
            statement=statement, organization=organizations[name], role=role, position=position
        )
        for position, (role, name) in enumerate(roles)
    )
    PressContact.objects.bulk_create(
        PressContact(statement=statement, contact=contacts[email], position=position)
        for position, email in enumerate(data.get("press_contacts", []))
    )
    RelatedLink.objects.bulk_create(
        RelatedLink(statement=statement, position=position, title=title, url=url)
        for position, (title, url) in enumerate(data.get("links", []))
    )

    for translated in data.get("translations", []):
        translation_write(statement, translated, organizations=organizations, staff=staff)
    if data.get("signed_off"):
        signoff_approved(statement, now=now, staff=staff)
    if "published_at" in data:
        # Its translations go out with it, at the same moment.
        statement_publish(
            statement=statement,
            by=staff,
            now=timezone.make_aware(data["published_at"]),
            override_reason="" if data.get("signed_off") else SIGNED_OFF_BEFORE,
        )
    signatory_list_arrange(statement, data)
    if "retracted_at" in data:
        statement_retract(
            statement=statement,
            note=data["retraction_note"],
            by=staff,
            corrected_by=Statement.objects.get(title=data["corrected_by"]),
            now=timezone.make_aware(data["retracted_at"]),
        )
    if publish_at:
        statement_schedule(
            statement=statement,
            publish_at=publish_at,
            now=now,
            by=staff,
            override_reason=SIGNED_OFF_BEFORE,
        )
    return statement


def signatory_list_arrange(statement: Statement, data: dict) -> None:
    """Its groups, pins, logos and late signers as staff set them in the admin, and the
    people who signed in their own name; late ones approved days after publication."""
    signatures = {s.organization.short_name: s for s in statement.signatures.all()}
    for position, (name, members) in enumerate(data.get("groups", {}).items()):
        group = SignatoryGroup.objects.create(statement=statement, name=name, position=position)
        for short_name in members:
            signatures[short_name].group = group
    for short_name in data.get("pinned", []):
        signatures[short_name].pinned = True
    for short_name in data.get("logos", []):
        signatures[short_name].show_logo = True
    for short_name, days in data.get("joined_after", {}).items():
        signatures[short_name].decided_at = statement.published_at + timedelta(days=days)
    Signature.objects.bulk_update(
        signatures.values(), ["group", "pinned", "show_logo", "decided_at"]
    )
    for position, person in enumerate(data.get("individuals", [])):
        fields = dict(person)
        days = fields.pop("joined_after", None)
        Signature.objects.create(
            statement=statement,
            kind=Signature.Kind.INDIVIDUAL,
            position=position,
            consent_publish=True,
            decided_at=statement.published_at + timedelta(days=days) if days else None,
            **fields,
        )


def quotes_create(statement: Statement, data: dict, organizations) -> None:
    Quote.objects.bulk_create(
        Quote(
            statement=statement,
            position=position,
            text=quote["text"],
            person_name=quote["person_name"],
            person_title=quote["person_title"],
            organization=organizations[quote["organization"]],
        )
        for position, quote in enumerate(data.get("quotes", []))
    )


def translation_write(original: Statement, data: dict, *, organizations, staff) -> Statement:
    """A translation made from the original, as staff would, then written in its language."""
    translation = translation_create(statement=original, language=data["language"], by=staff)
    for field in ["title", "standfirst", "dateline", "body"]:
        setattr(translation, field, data[field])
    translation.save()
    translation.demands.all().delete()
    Demand.objects.bulk_create(
        Demand(statement=translation, position=position, heading=heading, text=text)
        for position, (heading, text) in enumerate(data.get("demands", []))
    )
    translation.quotes.all().delete()
    quotes_create(translation, data, organizations)
    return translation


def signoff_approved(statement: Statement, *, now: datetime, staff) -> None:
    """Ask every contact of the signatory organizations to approve the release, and have
    each approve, as if they had pressed Approve on the page their email links to."""
    contacts = list(
        Contact.objects.filter(organization__signatures__statement=statement).distinct()
    )
    requests = signoff_requests_send(
        statement=statement,
        contacts=contacts,
        deadline=now + timedelta(days=5),
        note="The English and Arabic texts go out together: please read both.",
        by=staff,
    )
    for request in requests:
        raw, hashed = token_new()
        SignoffToken.objects.create(request=request, token_hash=hashed)
        signoff_answer(token=raw, decision=SignoffAnswer.Decision.APPROVED)


def demo_staff():
    """The staff superuser who makes the demo; staff_password_reset gives it a password."""
    user, _ = get_user_model().objects.get_or_create(
        username=STAFF_USERNAME,
        defaults={"email": "staff@example.org", "is_staff": True, "is_superuser": True},
    )
    return user


def demo_data_create(*, now: datetime) -> list[Statement]:
    organizations = {data["short_name"]: organization_get_or_create(data) for data in ORGANIZATIONS}
    contacts = {}
    for data in CONTACTS:
        fields = dict(data)
        organization = organizations[fields.pop("organization")]
        contacts[data["email"]] = Contact.objects.get_or_create(
            organization=organization, email=fields.pop("email"), defaults=fields
        )[0]
    campaigns = {}
    for data in CAMPAIGNS:
        fields = dict(data)
        slug = fields.pop("slug")
        campaigns[slug] = Campaign.objects.get_or_create(slug=slug, defaults=fields)[0]
    staff = demo_staff()
    statements = [
        statement_create(
            data,
            organizations=organizations,
            contacts=contacts,
            campaigns=campaigns,
            now=now,
            staff=staff,
        )
        for data in STATEMENTS
    ]
    for language, text in PRIVACY_NOTICES.items():
        PrivacyNotice.objects.get_or_create(language=language, defaults={"text": text})
    cosignatures_create(statements[0], now=now)
    update_create(statements[0], staff=staff, now=now)
    calls_to_action_create(campaigns, market_strike=statements[0], now=now)
    press_create(statements, organizations, staff=staff)
    correction_create(statements[0], staff=staff)
    # The draft's sign-off is under way: its request waits in the development mailbox, and
    # its link opens the page where the contact approves version 1.
    draft = statements[-1]
    signoff_requests_send(
        statement=draft,
        contacts=list(Contact.objects.filter(organization__signatures__statement=draft).distinct()),
        deadline=now + timedelta(days=5),
        note="Please check the demands in particular: they changed since our call.",
        by=staff,
    )
    return statements


def update_create(statement: Statement, *, staff, now: datetime) -> None:
    """The envoy's answer to the market strike statement, as staff post it; nobody is
    emailed (the demo has no followers)."""
    update_post(
        statement=statement,
        by=staff,
        kind=StatementUpdate.Kind.RESPONSE,
        posted_at=now - timedelta(days=2),
        responder="Office of the UN Special Envoy for Syria",
        responded_on=(now - timedelta(days=3)).date(),
        response_url="https://un.example.org/envoy/letters/market-strike",
        text=(
            "The Special Envoy's office wrote to the coalition: it has raised the strike "
            "with the parties and asked for an independent investigation. It will meet "
            "the signatories in Geneva next month."
        ),
    )


def correction_create(statement: Statement, *, staff) -> None:
    """A figure corrected after publication: the page carries the note, the earlier text
    and the comparison of the two. The coalition agreed the figure with the signatories by
    phone, so it goes out with that reason; the journalists who got the release are told."""
    statement.refresh_from_db()
    statement_correct(
        statement=statement,
        by=staff,
        changes={"body": statement.body.replace("wounded eight other", "wounded six other")},
        note="The shelling of Kafr Nouran on 21 June wounded six people, not eight.",
        override_reason="The signatories agreed the corrected figure by phone.",
    )


def calls_to_action_create(
    campaigns: dict[str, Campaign], *, market_strike: Statement, now: datetime
) -> None:
    """One call of each kind readers act on, and an expired one staff still see in the admin."""
    active, ended = campaigns[ACTIVE_CAMPAIGN], campaigns[ENDED_CAMPAIGN]
    vigil = timezone.make_aware(
        datetime.combine(timezone.localdate(now) + timedelta(days=12), VIGIL_TIME)
    )
    CallToAction.objects.bulk_create(
        [
            CallToAction(
                campaign=active,
                kind=CallToAction.Kind.CONTACT,
                position=0,
                title="Ask the Special Envoy for Syria to speak up",
                description="Envoys count the letters they receive. Write in your own "
                "words or start from ours; it takes two minutes.",
                target_name="Helen Marsh",
                target_role="Special Envoy for Syria",
                target_email="envoy.syria@foreign-affairs.example.org",
                target_phone="+1 202 555 0164",
                target_form_url="https://foreign-affairs.example.org/contact/syria-envoy/",
                message_subject="Protect civilians in northwest Syria",
                message_body=MINISTER_MESSAGE,
            ),
            CallToAction(
                campaign=active,
                statement=market_strike,
                kind=CallToAction.Kind.COSIGN,
                position=1,
                title="Is your organization with us?",
                description="Organizations can add their name to the statement on the "
                "Jisr al-Shughur market strike; the coalition checks each one before it is listed.",
            ),
            CallToAction(
                campaign=active,
                statement=market_strike,
                kind=CallToAction.Kind.ATTEND,
                position=2,
                title="Vigil for the victims of the market strike",
                description="Bring a candle. Families from Idlib will read the names of those "
                "killed.",
                event_starts_at=vigil,
                event_place="Lafayette Square\nWashington, DC",
                # Gone from the pages once the vigil is over.
                ends_at=vigil + timedelta(hours=3),
            ),
            CallToAction(
                campaign=active,
                kind=CallToAction.Kind.DONATE,
                position=3,
                title="Keep the mobile clinics running",
                description="Open Clinics Network treats the wounded in Idlib and northern "
                "Aleppo; fuel and dressings are what run out first.",
                url="https://openclinics.example.org/donate/",
                button_label="Donate to Open Clinics Network",
            ),
            CallToAction(
                campaign=active,
                kind=CallToAction.Kind.READ_MORE,
                position=4,
                title="Read the briefing on the northwest",
                description="Short and sourced: who lives there, what is attacked, and what "
                "aid gets through.",
                url="https://nwsyriaforum.example.org/briefings/after-the-earthquake/",
                button_label="Read the briefing",
            ),
            CallToAction(
                campaign=ended,
                kind=CallToAction.Kind.CONTACT,
                title="Write to your MP before the vote on air strikes",
                target_name="Your Member of Parliament",
                target_form_url="https://members.parliament.example.org/find-your-mp/",
                starts_at=timezone.make_aware(datetime(2015, 11, 20, 9, 0)),
                ends_at=timezone.make_aware(datetime(2015, 12, 2, 18, 0)),
            ),
        ]
    )


def cosignatures_create(statement: Statement, *, now: datetime) -> None:
    for data in COSIGNERS:
        fields = dict(data)
        confirmed = fields.pop("confirmed")
        signature = signature_submit(
            statement=statement,
            cosign=Cosign(
                **fields, signer_phone="", consent_contact=True, message="We are glad to join."
            ),
            consent_text=CosignForm.consent_words(consent_contact=True),
        )
        if confirmed:
            # As if the signer had pressed Confirm in the email: that makes the organization.
            raw, hashed = token_new()
            SignatureToken.objects.create(
                signature=signature,
                purpose=SignatureToken.Purpose.CONFIRM,
                token_hash=hashed,
                expires_at=now + timedelta(days=1),
            )
            signature_confirm(token=raw)


def staff_password_reset() -> list[tuple[str, str, str]]:
    """Make sure the staff superuser and one member of each role exist, and give each a
    new random password: (role, username, password), the superuser first."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=STAFF_USERNAME, defaults={"email": "staff@example.org"}
    )
    logins = [("Superuser", user, True)]
    for username, role in ROLE_LOGINS:
        member, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        # Only the role's group: whatever a restart finds, the login shows that role.
        member.groups.set([Group.objects.get(name=role)])
        logins.append((role, member, False))
    passwords = []
    for role, member, superuser in logins:
        password = secrets.token_urlsafe(12)
        member.is_active = member.is_staff = True
        member.is_superuser = superuser
        member.set_password(password)
        member.save()
        passwords.append((role, member.username, password))
    return passwords


def press_create(
    statements: list[Statement], organizations: dict[str, Organization], *, staff
) -> None:
    """A press list of three journalists; the urgent statement sent to it (kept in the
    development mailbox under `make run`), and the scheduled open letter waiting to go
    to it at publication."""
    outlet = next(o for o in organizations.values() if o.kind == Organization.Kind.MEDIA)
    desk = PressList.objects.create(
        name="International desks", description="Editors and correspondents abroad."
    )
    desk.contacts.add(
        *(
            Contact.objects.create(
                organization=outlet, name=name, title=title, email=email, beat=beat, language=lang
            )
            for name, title, email, beat, lang in JOURNALISTS
        )
    )
    urgent = statements[0]
    scheduled = next(s for s in statements if s.status == Statement.Status.SCHEDULED)
    # The release in English and Arabic: each journalist gets it in their language.
    aid_route = next(s for s in statements if s.translations.exists())
    for statement, subject in [
        (urgent, "Joint statement: airstrike on Jisr al-Shughur market"),
        (aid_route, "Urgent appeal: keep the aid route to northwest Syria open"),
        (scheduled, "Open letter to donor governments"),
    ]:
        distribution = distribution_create(
            distribution=Distribution(
                statement=statement,
                subject=subject,
                note="Spokespeople are available for interviews in English and Arabic.",
                reply_to=statement.press_contacts.first().contact
                if statement.press_contacts.exists()
                else None,
            ),
            by=staff,
        )
        distribution.press_lists.add(desk)
        distribution_confirm(distribution=distribution, by=staff)
