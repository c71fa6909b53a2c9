"""`manage.py demo`: a staff login, and demo statements in every state when there are none.

`make run` calls it on every start. The statements are only created while there are none,
so whatever staff change in the admin survives a restart; the staff password is new each time
and printed, so nobody has to remember it.
"""

import io
import os
import secrets
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from campaigns.models import CallToAction, Campaign
from organizations.models import Contact, Organization, PressList
from press.models import Distribution
from press.services import distribution_confirm
from statements.models import (
    Demand,
    PressContact,
    Quote,
    RelatedLink,
    Signature,
    Statement,
)
from statements.services.cosigning import Cosign, signature_submit
from statements.services.lifecycle import statement_publish, statement_retract, statement_schedule
from statements.services.signoff import signoff_requests_send

STAFF_USERNAME = "staff"
# The demo's older statements were approved by their signatories before the
# coalition used Jointly, so staff publish them on record without sign-off.
SIGNED_OFF_BEFORE = "Demo data: the signatories approved this text by email before Jointly."
SCHEDULED_HOUR = time(9)

# Fictional organizations, so the demo never speaks for a real group. Those with a
# logo_color get a generated logo; a name that cannot be slugified gives its own slug.
ORGANIZATIONS = [
    {
        "name": "Coalition for Civilian Protection",
        "short_name": "CCP",
        "kind": Organization.Kind.COALITION,
        "country": "US",
        "website": "https://www.civilianprotection.example.org/",
        "description": "A Washington network of humanitarian and human rights groups that "
        "records attacks on civilians and asks governments to answer for them.",
        "verified": True,
        "logo_color": "#a33b2f",
    },
    {
        "name": "Justice Without Borders",
        "short_name": "JWB",
        "kind": Organization.Kind.NGO,
        "country": "US",
        "website": "https://justicewithoutborders.example.org/",
        "description": "Lawyers who help survivors of war crimes put their evidence before "
        "courts in Europe and North America.",
        "verified": True,
        "logo_color": "#1f5a85",
    },
    {
        "name": "Northwest Syria Policy Forum",
        "short_name": "NSPF",
        "kind": Organization.Kind.ACADEMIC,
        "country": "US",
        "website": "https://nwsyriaforum.example.org/",
        "description": "Researchers who write short, sourced briefings on northwest Syria "
        "for lawmakers and their staff.",
        "verified": True,
    },
    {
        "name": "Open Clinics Network",
        "short_name": "OCN",
        "kind": Organization.Kind.NGO,
        "country": "TR",
        "website": "https://openclinics.example.org/",
        "description": "Runs mobile clinics and supplies field hospitals in Idlib and "
        "northern Aleppo from its office in Gaziantep.",
        "verified": True,
        "logo_color": "#2d7a4b",
    },
    {
        "name": "جمعية الأمل للإغاثة",
        "short_name": "AMAL",
        "slug": "al-amal-relief-association",
        "kind": Organization.Kind.NGO,
        "country": "SY",
        "website": "https://alamal-relief.example.org/",
        "description": "Al-Amal (“hope”) Relief Association hands out food, water and "
        "winter kits in the camps for displaced families near the Turkish border.",
        "verified": True,
    },
    {
        "name": "Interfaith Council for Refugees",
        "short_name": "ICR",
        "kind": Organization.Kind.FAITH,
        "country": "CA",
        "website": "https://interfaithrefugees.example.org/",
        "description": "Churches, mosques and synagogues across Canada that sponsor refugee "
        "families and speak up for those still waiting.",
        "verified": True,
    },
    {
        "name": "Federation of Health Workers",
        "short_name": "FHW",
        "kind": Organization.Kind.UNION,
        "country": "DE",
        "website": "https://healthworkers-federation.example.org/",
        "description": "A union of nurses, doctors and paramedics that stands up for medical "
        "staff working in war zones.",
        "verified": True,
    },
    {
        "name": "Syrian Women's Alliance",
        "short_name": "SWA",
        "kind": Organization.Kind.COMMUNITY,
        "country": "FR",
        "website": "https://syrianwomen.example.org/",
        "description": "Syrian women in France campaigning for detainees' release and for "
        "women's place in any settlement.",
    },
    {
        "name": "Centre for Conflict and Displacement Studies",
        "short_name": "CCDS",
        "kind": Organization.Kind.ACADEMIC,
        "country": "GB",
        "website": "https://displacementstudies.example.org/",
        "description": "A university centre studying how wars uproot people and what helps "
        "them rebuild their lives.",
    },
    {
        "name": "The Levant Dispatch",
        "short_name": "TLD",
        "kind": Organization.Kind.MEDIA,
        "country": "LB",
        "website": "https://levantdispatch.example.org/",
        "description": "An independent news site covering Syria, Lebanon and Jordan in "
        "Arabic and English.",
        "verified": True,
    },
    # The UK diaspora groups behind the 2015 press release.
    {
        "name": "London Syrian Solidarity Forum",
        "short_name": "LSSF",
        "kind": Organization.Kind.COMMUNITY,
        "country": "GB",
        "website": "https://lssf.example.org/",
        "description": "Syrians and friends of Syria in London organizing vigils, talks and "
        "letters to Parliament.",
        "verified": True,
    },
    {
        "name": "Syrian Community of Manchester",
        "short_name": "SCM",
        "kind": Organization.Kind.COMMUNITY,
        "country": "GB",
        "website": "https://syriansmanchester.example.org/",
        "description": "A meeting place for Syrian families in Greater Manchester.",
    },
    {
        "name": "Glasgow Syrian Network",
        "short_name": "GSN",
        "kind": Organization.Kind.COMMUNITY,
        "country": "GB",
        "website": "https://glasgowsyrians.example.org/",
        "description": "Welcomes newly arrived Syrians in Glasgow and campaigns on their behalf.",
    },
    {
        "name": "Bristol Friends of Syria",
        "short_name": "BFS",
        "kind": Organization.Kind.COMMUNITY,
        "country": "GB",
        "website": "https://bristolfriendsofsyria.example.org/",
        "description": "Volunteers in Bristol raising funds and awareness for Syrian civilians.",
    },
    {
        "name": "Cardiff Syrian Families",
        "short_name": "CSF",
        "kind": Organization.Kind.COMMUNITY,
        "country": "GB",
        "website": "https://cardiffsyrians.example.org/",
        "description": "Syrian families in South Wales supporting one another.",
    },
    {
        "name": "Birmingham Syrian Doctors' Circle",
        "short_name": "BSDC",
        "kind": Organization.Kind.COMMUNITY,
        "country": "GB",
        "website": "https://syriandoctorsbirmingham.example.org/",
        "description": "Syrian doctors in the Midlands who send training and supplies to "
        "colleagues at home.",
    },
    {
        "name": "Leicester Syrian Youth",
        "short_name": "LSY",
        "kind": Organization.Kind.COMMUNITY,
        "country": "GB",
        "website": "https://leicestersyrianyouth.example.org/",
        "description": "Young Syrians in Leicester keeping their families' stories heard.",
    },
]

# Phone numbers are in the ranges set aside for fiction (555-01xx, 020 7946 0xxx).
CONTACTS = [
    {
        "organization": "CCP",
        "name": "Jordan Ellis",
        "title": "Press Officer",
        "email": "press@civilianprotection.example.org",
        "phone": "+1 202 555 0147",
    },
    {
        "organization": "JWB",
        "name": "Nadia Rahman",
        "title": "Media Relations Manager",
        "email": "media@justicewithoutborders.example.org",
        "phone": "+1 202 555 0183",
    },
    {
        "organization": "LSSF",
        "name": "Tom Ashworth",
        "title": "Press Officer",
        "email": "press@lssf.example.org",
        "phone": "+44 20 7946 0321",
    },
]

ACTIVE_CAMPAIGN = "protect-civilians-in-northwest-syria"
ENDED_CAMPAIGN = "stop-the-bombing-of-idlib"
CAMPAIGNS = [
    {
        "slug": ACTIVE_CAMPAIGN,
        "title": "Protect civilians in northwest Syria",
        "summary": "Markets, camps and homes in Idlib are still being bombed. We ask governments "
        "for a ceasefire, open aid routes and justice for the victims.",
        "description": "More than four million people live in northwest Syria, most of them "
        "displaced at least once. Attacks on the places they depend on, from markets and "
        "bakeries to water stations and camps, have grown since 2020.\n\n"
        "This campaign brings together the statements our partners issue after each attack, "
        "and the same three asks run through all of them.",
        "asks": "Stop the attacks on civilians and on the places they rely on.\n"
        "Keep humanitarian aid flowing into the northwest by every route.\n"
        "Hold those responsible to account, and keep the evidence for the courts.",
        "is_active": True,
        "started_on": date(2023, 6, 1),
    },
    {
        "slug": ENDED_CAMPAIGN,
        "title": "Stop the bombing of Idlib, 2015–2016",
        "summary": "UK Syrian community groups called for an end to the air strikes on Idlib "
        "after Russia joined the war.",
        "description": "Run by Syrian diaspora groups across the United Kingdom in the months "
        "after Russia's intervention began in September 2015. The campaign has ended; its "
        "statements are kept for the record.",
        "is_active": False,
        "started_on": date(2015, 10, 1),
    },
]


def markdown(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


CORRECTED_TITLE = (
    "Idlib City shelled and Ahl Saraqib camp bombed: civilians in the northwest need protection now"
)

# Each statement is created as a draft, then moved on by the services: "published_at"
# publishes it, "retracted_at" then retracts it, "scheduled" schedules it for tomorrow.
STATEMENTS = [
    {
        "kind": Statement.Kind.URGENT_JOINT_STATEMENT,
        "cosign_open": True,
        "title": "Airstrike on a vegetable market in Jisr al-Shughur kills civilians: "
        "the world must answer",
        "dateline": "WASHINGTON, DC",
        "release_date": date(2023, 6, 26),
        "campaign": ACTIVE_CAMPAIGN,
        "standfirst": "Three US organizations condemn Sunday's airstrike on a crowded market in "
        "Jisr al-Shughur, Idlib, which killed at least ten people, two of them children, and "
        "wounded more than sixty.",
        "body": markdown(
            "On Sunday 25 June 2023, warplanes hit the vegetable market in Jisr al-Shughur, in "
            "the west of Idlib province. At least ten civilians were killed, two of them "
            "children, and more than sixty were hurt. Rescuers from the "
            "[Syria Civil Defence](https://civildefence.example.org/) fear the toll will rise: "
            "several of the wounded are in a critical condition.",
            "Farmers from the surrounding villages bring their harvest to this market, and for "
            "many families it is the last steady income they have. Bombing it at its busiest "
            "hour reaches far beyond the people who were there that morning: it reaches *every "
            "household that lives from what is grown and sold in the area*.",
            "The strike came after a week of rising violence. On 21 June, shelling of Kafr "
            "Nouran, in the Aleppo countryside, killed a man and his child and wounded eight "
            "other people, three of them children.",
            "## No reward for bombing markets",
            "This was the deadliest single attack in the northwest so far this year, and it "
            "came while several governments are mending their ties with Damascus. Welcoming "
            "back those who order such strikes tells them there is no price to pay. We say "
            "again what we have said after every attack of this kind:",
            "> A market is not a military target. Neither is a bakery, a clinic, a school or "
            "a tent where a displaced family sleeps.",
        ),
        "demands": [
            (
                "Ceasefire",
                "Russia and the Syrian government must stop attacking civilians and the places "
                "they rely on in northwest Syria, and the UN Security Council must say so in "
                "plain words.",
            ),
            (
                "Humanitarian access",
                "Donor governments must keep food, medicine and shelter reaching the northwest "
                "by every route, and fund the rescue teams and hospitals caring for the wounded.",
            ),
            (
                "Accountability",
                "No government should restore relations with Damascus while the bombing goes "
                "on; evidence of each attack must be kept so that those responsible can be "
                "tried.",
            ),
        ],
        "quotes": [
            {
                "text": "Families went to the market on Sunday to buy food for the week, and "
                "some of them never came home. Every time the world looks away, the next strike "
                "comes sooner.",
                "person_name": "Dana Whitfield",
                "person_title": "Executive Director",
                "organization": "CCP",
            },
            {
                "text": "Anyone planning to shake hands with Damascus this summer should first "
                "look at the pictures from Jisr al-Shughur. Impunity is not stability; it is "
                "permission to do it again.",
                "person_name": "Karim Haddad",
                "person_title": "Director of Policy",
                "organization": "JWB",
            },
        ],
        "issuers": ["CCP", "JWB", "NSPF"],
        "signatories": ["OCN", "AMAL", "ICR", "FHW", "SWA"],
        "press_contacts": [
            "press@civilianprotection.example.org",
            "media@justicewithoutborders.example.org",
        ],
        "links": [
            (
                "Map of attacks on markets in northwest Syria, 2023",
                "https://civilianprotection.example.org/maps/markets-2023/",
            ),
            (
                "Briefing: northwest Syria four months after the earthquake",
                "https://nwsyriaforum.example.org/briefings/after-the-earthquake/",
            ),
        ],
        "published_at": datetime(2023, 6, 26, 10, 0),
    },
    {
        "kind": Statement.Kind.PRESS_RELEASE,
        "title": "UK Syrian groups condemn the Russian bombing of Idlib",
        "dateline": "LONDON",
        "release_date": date(2015, 12, 21),
        "campaign": ENDED_CAMPAIGN,
        "standfirst": "Seven Syrian community groups from across the United Kingdom condemn the "
        "air strikes that killed more than 47 civilians in Idlib on 20 December 2015.",
        "body": markdown(
            "In the space of a few hours on Sunday 20 December 2015, Russian air strikes on the "
            "city of Idlib killed more than 47 civilians. The main courthouse alone was struck "
            "by more than eight rockets, and the streets around it were left in ruins.",
            "The strikes break UN Security Council "
            "[Resolution 2139](https://un.example.org/resolutions/2139/), which requires every "
            "party to stop attacking civilians and to stop firing indiscriminately into "
            "populated areas. They also break a local truce under which Idlib was to be spared.",
            "Russia said it entered the war in September 2015 to fight ISIL. Yet its bombs "
            "keep falling on towns held by other opposition groups, far from the areas ISIL "
            "controls.",
            "As a permanent member of the Security Council, Russia has sworn to uphold peace "
            "and security. Every strike on a city full of civilians pushes a political "
            "settlement **further out of reach**.",
        ),
        "demands": [
            (
                "Stop the strikes",
                "The UK government and its allies must use every means they have to make Russia "
                "stop bombing civilian areas in Syria.",
            ),
            (
                "Name the crimes",
                "Deliberate and indiscriminate attacks on civilians must be called what they "
                "are, war crimes, and documented so that they can one day be prosecuted.",
            ),
        ],
        "quotes": [
            {
                "text": "People in Idlib tell us they feel forgotten by everyone. The very least "
                "the world owes them is to say out loud that what is being done to them is "
                "wrong.",
                "person_name": "Dr Layla Mansour",
                "person_title": "Chair",
                "organization": "SCM",
            },
        ],
        "signatories": ["LSSF", "SCM", "GSN", "BFS", "CSF", "BSDC", "LSY"],
        "press_contacts": ["press@lssf.example.org"],
        "published_at": datetime(2015, 12, 21, 9, 30),
    },
    {
        "kind": Statement.Kind.JOINT_STATEMENT,
        "title": CORRECTED_TITLE,
        "dateline": "WASHINGTON, DC",
        "release_date": date(2023, 11, 1),
        "campaign": ACTIVE_CAMPAIGN,
        "standfirst": "Shelling of Idlib City this week and an air strike on a camp for "
        "displaced families a week earlier have killed nine civilians, two of them babies.",
        "body": markdown(
            "Artillery shells and rockets fired by Syrian government forces hit residential "
            "streets of Idlib City this week, killing four civilians, one of them a woman. "
            "Several more people were wounded and taken to the city's hospitals.",
            "On Tuesday 24 October, Russian aircraft struck the Ahl Saraqib camp on the edge of "
            "al-Hamama village, west of Idlib. Five displaced people were killed: three women, "
            "one of them pregnant, and two babies. Five more were hurt, among them an infant "
            "and two children.",
            "Government forces also fired on the village of Nairab while a UN delegation was "
            "there to visit a relief centre, a sign of how little the rules of war weigh with "
            "those giving the orders.",
            "## A pattern, not an accident",
            "Since 2020 the Syrian government and its Russian and Iranian allies have struck "
            "homes, schools, mosques and water stations across the northwest. Each new wave "
            "drives more families into tents that *offer no protection at all*.",
        ),
        "demands": [
            (
                "Protection",
                "The Security Council and its members must demand an immediate end to attacks "
                "on residential areas and camps in northwest Syria.",
            ),
            (
                "Accountability",
                "Governments must back the investigation of these attacks and refuse any "
                "normalization with those who order them.",
            ),
            (
                "Humanitarian response",
                "Donors must fund shelter, health care and psychosocial support for the "
                "families who have lost relatives and homes.",
            ),
        ],
        "quotes": [
            {
                "text": "Those families fled their homes to be safe, and the bombs found them "
                "in their tents. There is nowhere left for them to run.",
                "person_name": "Dana Whitfield",
                "person_title": "Executive Director",
                "organization": "CCP",
            },
        ],
        "issuers": ["CCP", "NSPF"],
        "signatories": ["OCN", "AMAL", "ICR", "CCDS"],
        "press_contacts": ["press@civilianprotection.example.org"],
        "published_at": datetime(2023, 11, 1, 16, 0),
    },
    {
        "kind": Statement.Kind.JOINT_STATEMENT,
        "title": "نداء عاجل: أبقوا طريق المساعدات إلى شمال غرب سوريا مفتوحاً",
        "slug": "keep-the-aid-route-to-northwest-syria-open-ar",
        "language": "ar",
        "dateline": "غازي عنتاب",
        "release_date": date(2023, 7, 12),
        "campaign": ACTIVE_CAMPAIGN,
        "standfirst": "تدعو جمعية الأمل للإغاثة أعضاءَ مجلس الأمن الدولي إلى الاتفاق دون تأخير "
        "على إيصال المساعدات الإنسانية إلى شمال غرب سوريا بعد انتهاء تفويض إدخالها عبر معبر "
        "باب الهوى.",
        "body": markdown(
            "أخفق مجلس الأمن الدولي في الحادي عشر من تموز/يوليو 2023 في تجديد التفويض الذي "
            "يسمح للأمم المتحدة بإدخال المساعدات الإنسانية إلى شمال غرب سوريا عبر معبر باب "
            "الهوى الحدودي مع تركيا. ويعتمد أكثر من أربعة ملايين شخص في المنطقة على هذه "
            "المساعدات في غذائهم ودوائهم ومأواهم، وأغلبهم نازحون فقدوا بيوتهم ومصادر رزقهم.",
            "وتعمل فرقنا في المخيمات المنتشرة على امتداد الحدود، وترى كل يوم ما يعنيه هذا "
            "الفراغ: مستودعات تفرغ، وعائلات تنتظر سلال الغذاء، ومراكز صحية تقلّص ساعات عملها "
            "لنقص الأدوية.",
            "إنّ حياة المدنيين لا يجوز أن تكون ورقة للتفاوض. ونذكّر بأن **وصول المساعدات "
            "الإنسانية حقٌّ لا مِنّة**، وبأن كل تأخير في إيصالها يضاعف معاناة من أنهكتهم سنوات "
            "الحرب ثم الزلزال.",
        ),
        "demands": [
            (
                "المعابر",
                "إبقاء جميع المعابر الحدودية مفتوحة أمام قوافل الأمم المتحدة مدةً لا تقل عن "
                "اثني عشر شهراً، بما يتيح للمنظمات الإنسانية التخطيط لعملها.",
            ),
            (
                "التمويل",
                "زيادة تمويل الاستجابة الإنسانية في شمال غرب سوريا قبل حلول فصل الشتاء.",
            ),
        ],
        "quotes": [
            {
                "text": "نحن لا نطلب المستحيل، بل نطلب أن تصل الشاحنات إلى من ينتظرها.",
                "person_name": "سلمى العلي",
                "person_title": "مديرة البرامج",
                "organization": "AMAL",
            },
        ],
        "issuers": ["AMAL"],
        "signatories": ["OCN"],
        "published_at": datetime(2023, 7, 12, 11, 0),
    },
    {
        "kind": Statement.Kind.JOINT_STATEMENT,
        "title": "Nine civilians killed as Idlib City is shelled",
        "dateline": "WASHINGTON, DC",
        "release_date": date(2023, 11, 1),
        "campaign": ACTIVE_CAMPAIGN,
        "standfirst": "Shelling of residential streets in Idlib City has killed nine civilians.",
        "body": markdown(
            "Syrian government artillery and rockets hit homes in Idlib City this week, "
            "killing nine civilians and wounding several more.",
            "We call on the Security Council to demand an end to attacks on residential areas "
            "in northwest Syria.",
        ),
        "issuers": ["CCP", "NSPF"],
        "published_at": datetime(2023, 11, 1, 10, 0),
        "retracted_at": datetime(2023, 11, 1, 15, 0),
        "retraction_note": "We retracted this statement on the day it was issued. It gave the "
        "death toll of the shelling of Idlib City as nine; that figure wrongly included the "
        "five people killed at the Ahl Saraqib camp the week before. Four people were killed "
        f"in Idlib City. Our corrected joint statement, “{CORRECTED_TITLE}”, gives the "
        "confirmed figures for both attacks.",
    },
    {
        "kind": Statement.Kind.OPEN_LETTER,
        "title": "Open letter to donor governments: keep your promises to northwest Syria",
        "dateline": "BRUSSELS",
        "campaign": ACTIVE_CAMPAIGN,
        "standfirst": "Humanitarian, faith and health organizations ask donor governments to "
        "pay what they pledged before families in the camps pay the price.",
        "body": markdown(
            "To the foreign and development ministers of donor governments,",
            "Each year you gather to pledge support for Syrians, and each year a share of "
            "those pledges arrives late or not at all. In the camps of northwest Syria the gap "
            "is measured in *missing tents, closed clinics and empty bread lines*.",
            "We ask you to publish what you have paid against what you promised, and to close "
            "the difference before the next conference.",
        ),
        "demands": [
            (
                "Shelter",
                "Fund dignified shelter to replace worn-out tents in the camps near the border.",
            ),
            (
                "Health care",
                "Keep hospitals and mobile clinics in the northwest open with at least a year "
                "of secured funding.",
            ),
        ],
        "issuers": ["CCP", "ICR"],
        "signatories": ["OCN", "AMAL", "FHW"],
        "press_contacts": ["press@civilianprotection.example.org"],
        "scheduled": True,
    },
    {
        "kind": Statement.Kind.DECLARATION,
        "cosign_open": True,
        "title": "Declaration on protecting markets, bakeries and farmland in war",
        "campaign": ACTIVE_CAMPAIGN,
        "standfirst": "Food is not a weapon. The places where it is grown, baked and sold must "
        "be kept out of every war.",
        "body": markdown(
            "In northwest Syria, markets, bakeries, mills and fields have been struck again "
            "and again. Each attack kills people and also takes away the food and income of "
            "thousands more.",
            "The undersigned organizations declare that they will record every such attack, "
            "share what they find, and raise it with governments until the attacks stop.",
        ),
        "demands": [
            (
                "Protect food",
                "Parties to the conflict must never target markets, bakeries, mills or farmland.",
            ),
            (
                "Record every attack",
                "Donors must fund independent monitoring of attacks on food systems.",
            ),
            (
                "Rebuild",
                "Aid budgets must include repairs to the bakeries and markets that were hit.",
            ),
        ],
        "issuers": ["CCDS"],
        "signatories": ["CCP", "OCN", "FHW", "ICR"],
    },
]


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
    )
    Demand.objects.bulk_create(
        Demand(statement=statement, position=position, heading=heading, text=text)
        for position, (heading, text) in enumerate(data.get("demands", []))
    )
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

    if "published_at" in data:
        statement_publish(
            statement=statement,
            now=timezone.make_aware(data["published_at"]),
            override_reason=SIGNED_OFF_BEFORE,
        )
    if "retracted_at" in data:
        statement_retract(
            statement=statement,
            note=data["retraction_note"],
            now=timezone.make_aware(data["retracted_at"]),
        )
    if publish_at:
        statement_schedule(
            statement=statement, publish_at=publish_at, now=now, override_reason=SIGNED_OFF_BEFORE
        )
    return statement


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
    statements = [
        statement_create(
            data, organizations=organizations, contacts=contacts, campaigns=campaigns, now=now
        )
        for data in STATEMENTS
    ]
    cosignatures_create(statements[0], now=now)
    calls_to_action_create(campaigns, market_strike=statements[0], now=now)
    press_create(statements, organizations)
    # The draft's sign-off is under way: its request waits in the Outbox, and
    # its link opens the page where the contact approves version 1.
    draft = statements[-1]
    signoff_requests_send(
        statement=draft,
        contacts=list(Contact.objects.filter(organization__signatures__statement=draft).distinct()),
        deadline=now + timedelta(days=5),
        note="Please check the demands in particular: they changed since our call.",
    )
    return statements


VIGIL_TIME = time(18, 30)

# The suggested message readers copy or open in their mail client: the
# decision maker and the addresses are fictional, like the organizations.
MINISTER_MESSAGE = (
    "Dear Special Envoy,\n\n"
    "On 25 June a market in Jisr al-Shughur, in Idlib, was bombed at its busiest hour. "
    "At least ten people were killed, two of them children.\n\n"
    "I am writing to ask you to:\n"
    "- call at the UN Security Council for an end to attacks on civilians in northwest Syria;\n"
    "- keep funding the aid that reaches the northwest by every route;\n"
    "- make no move towards normal relations with Damascus while the bombing goes on.\n\n"
    "Please tell me what our government will do.\n\n"
    "Yours sincerely,"
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


# Two partners who used the co-sign form: one confirmed and waiting in the
# moderation queue, one yet to click the link in the email that make run's
# worker delivers to the Outbox.
COSIGNERS = [
    {
        "organization_name": "Hama Teachers Network",
        "website": "https://hamateachers.example.org",
        "country": "TR",
        "kind": Organization.Kind.COMMUNITY,
        "signer_name": "Huda Nasser",
        "signer_title": "Spokesperson",
        "signer_email": "huda@hamateachers.example.org",
        "confirmed": True,
    },
    {
        "organization_name": "Mercy Bakers Collective",
        "website": "https://mercybakers.example.org",
        "country": "GB",
        "kind": Organization.Kind.NGO,
        "signer_name": "Tom Reeve",
        "signer_title": "Trustee",
        "signer_email": "tom.reeve@example.com",
        "confirmed": False,
    },
]


def cosignatures_create(statement: Statement, *, now: datetime) -> None:
    for data in COSIGNERS:
        fields = dict(data)
        confirmed = fields.pop("confirmed")
        signature = signature_submit(
            statement=statement,
            cosign=Cosign(
                **fields, signer_phone="", consent_contact=True, message="We are glad to join."
            ),
        )
        if confirmed:
            # As if the signer had pressed Confirm in the email.
            Signature.objects.filter(pk=signature.pk).update(
                state=Signature.State.CONFIRMED, confirmed_at=now
            )


def staff_password_reset() -> str:
    """Make sure the staff superuser exists and give it a new random password."""
    user, _ = get_user_model().objects.get_or_create(
        username=STAFF_USERNAME, defaults={"email": "staff@example.org"}
    )
    password = secrets.token_urlsafe(12)
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return password


class Command(BaseCommand):
    help = "Ensure a staff login with a new password; load demo statements if there are none."

    def handle(self, *args, **options):
        if Statement.objects.exists():
            self.stdout.write("Demo data already present: left as it is.")
        else:
            with transaction.atomic():
                statements = demo_data_create(now=timezone.now())
            states = ", ".join(statement.get_status_display().lower() for statement in statements)
            self.stdout.write(f"Demo data created: {len(statements)} statements ({states}).")

        password = staff_password_reset()
        host = os.environ.get("HOST", "127.0.0.1")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            self.style.SUCCESS(
                f"Staff login: http://{host}:{port}/admin/  user: {STAFF_USERNAME}  "
                f"password: {password}"
            )
        )


JOURNALISTS = [
    ("Maya Karam", "Regional correspondent", "maya.karam@levantdispatch.example.org", "Syria"),
    ("Daniel Osei", "Foreign desk editor", "d.osei@levantdispatch.example.org", "Middle East"),
    ("Leila Mansour", "Humanitarian affairs", "leila@levantdispatch.example.org", "Aid"),
]


def press_create(statements: list[Statement], organizations: dict[str, Organization]) -> None:
    """A press list of three journalists; the urgent statement sent to it (mail in the Outbox),
    and the scheduled open letter waiting to go to it at publication."""
    outlet = next(o for o in organizations.values() if o.kind == Organization.Kind.MEDIA)
    desk = PressList.objects.create(
        name="International desks", description="Editors and correspondents abroad."
    )
    desk.contacts.add(
        *(
            Contact.objects.create(
                organization=outlet, name=name, title=title, email=email, beat=beat
            )
            for name, title, email, beat in JOURNALISTS
        )
    )
    urgent = statements[0]
    scheduled = next(s for s in statements if s.status == Statement.Status.SCHEDULED)
    for statement, subject in [
        (urgent, "Joint statement: airstrike on Jisr al-Shughur market"),
        (scheduled, "Open letter to donor governments"),
    ]:
        distribution = Distribution.objects.create(
            statement=statement,
            subject=subject,
            note="Spokespeople are available for interviews in English and Arabic.",
            reply_to=statement.press_contacts.first().contact
            if statement.press_contacts.exists()
            else None,
        )
        distribution.press_lists.add(desk)
        distribution_confirm(distribution=distribution)
