"""The demo's campaigns and statements, in the project's own words."""

from datetime import date, datetime, time

from demo.people import INDIVIDUALS
from statements.models import Statement

STAFF_USERNAME = "staff"
# One login per role (the groups of accounts/migrations/0001_roles.py), to try each:
# username, group.
ROLE_LOGINS = [
    ("editor", "Editor"),
    ("publisher", "Publisher"),
    ("press", "Press officer"),
    ("moderator", "Moderator"),
]
# The demo's older statements were approved by their signatories before the
# coalition used Jointly, so staff publish them on record without sign-off.
SIGNED_OFF_BEFORE = "Demo data: the signatories approved this text by email before Jointly."
SCHEDULED_HOUR = time(9)

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

# Each statement is created as a draft, then moved on by the services: "translations"
# are made from it and written in their language, "signed_off" has its signatories
# approve the release through sign-off, "published_at" publishes it (with its
# translations), "retracted_at" then retracts it (corrected by the statement titled
# "corrected_by"), "scheduled" schedules it for tomorrow. "signatory_list" sets how its
# list is printed; "groups" names headings over organizations, "pinned" lists at the
# top, "logos" agreed to the logo wall, "joined_after" were approved that many days
# after publication, and "individuals" signed in their own name.
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
        "signatories": ["OCN", "AMAL", "ICR", "FHW", "SWA", "CCDS"],
        # As human-rights coalitions print it: numbered, with acronym and country, the
        # lead organizations under their own heading, and people below.
        "signatory_list": {
            "signers": Statement.Signers.EVERYONE,
            "signatory_numbering": True,
            "signatory_details": True,
            "signatory_grouping": Statement.SignatoryGrouping.GROUPS,
            "logo_wall": True,
        },
        "groups": {"Lead organizations": ["OCN", "AMAL", "ICR"]},
        "pinned": ["AMAL"],
        "logos": ["OCN", "FHW"],
        "joined_after": {"SWA": 2, "CCDS": 6},
        "individuals": INDIVIDUALS,
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
    # One release in two languages: the English original and its Arabic translation,
    # approved by both signatories through sign-off and published together.
    {
        "kind": Statement.Kind.JOINT_STATEMENT,
        "title": "Urgent appeal: keep the aid route to northwest Syria open",
        "slug": "keep-the-aid-route-to-northwest-syria-open",
        "dateline": "GAZIANTEP",
        "release_date": date(2023, 7, 12),
        "campaign": ACTIVE_CAMPAIGN,
        "standfirst": "Al-Amal Relief Association calls on the members of the UN Security "
        "Council to agree without delay on bringing humanitarian aid into northwest Syria, now "
        "that the authorization to deliver it through the Bab al-Hawa crossing has run out.",
        "body": markdown(
            "On 11 July 2023 the UN Security Council failed to renew the authorization that "
            "lets the United Nations bring humanitarian aid into northwest Syria through the "
            "Bab al-Hawa border crossing with Turkey. More than four million people in the "
            "region rely on this aid for their food, medicine and shelter, most of them "
            "displaced people who have lost their homes and their livelihoods.",
            "Our teams work in the camps that stretch along the border, and every day they "
            "see what this gap means: warehouses running empty, families waiting for food "
            "baskets, and health centres cutting their hours for want of medicine.",
            "The lives of civilians must never be a bargaining chip. We recall that "
            "**humanitarian access is a right, not a favour**, and that every delay in "
            "delivering aid deepens the suffering of people worn down by years of war and "
            "then by the earthquake.",
        ),
        "demands": [
            (
                "Crossings",
                "Keep every border crossing open to UN convoys for no less than twelve "
                "months, so that humanitarian organizations can plan their work.",
            ),
            (
                "Funding",
                "Increase funding for the humanitarian response in northwest Syria before "
                "winter comes.",
            ),
        ],
        "quotes": [
            {
                "text": "We are not asking for the impossible; we are asking for the trucks to "
                "reach the people who are waiting for them.",
                "person_name": "Salma al-Ali",
                "person_title": "Director of Programmes",
                "organization": "AMAL",
            },
        ],
        "issuers": ["AMAL"],
        "signatories": ["OCN"],
        "press_contacts": ["salma@alamal-relief.example.org"],
        "translations": [
            {
                "title": "نداء عاجل: أبقوا طريق المساعدات إلى شمال غرب سوريا مفتوحاً",
                "language": "ar",
                "dateline": "غازي عنتاب",
                "standfirst": "تدعو جمعية الأمل للإغاثة أعضاءَ مجلس الأمن الدولي إلى الاتفاق "
                "دون تأخير على إيصال المساعدات الإنسانية إلى شمال غرب سوريا بعد انتهاء تفويض "
                "إدخالها عبر معبر باب الهوى.",
                "body": markdown(
                    "أخفق مجلس الأمن الدولي في الحادي عشر من تموز/يوليو 2023 في تجديد التفويض "
                    "الذي يسمح للأمم المتحدة بإدخال المساعدات الإنسانية إلى شمال غرب سوريا عبر "
                    "معبر باب الهوى الحدودي مع تركيا. ويعتمد أكثر من أربعة ملايين شخص في المنطقة "
                    "على هذه المساعدات في غذائهم ودوائهم ومأواهم، وأغلبهم نازحون فقدوا بيوتهم "
                    "ومصادر رزقهم.",
                    "وتعمل فرقنا في المخيمات المنتشرة على امتداد الحدود، وترى كل يوم ما يعنيه "
                    "هذا الفراغ: مستودعات تفرغ، وعائلات تنتظر سلال الغذاء، ومراكز صحية تقلّص "
                    "ساعات عملها لنقص الأدوية.",
                    "إنّ حياة المدنيين لا يجوز أن تكون ورقة للتفاوض. ونذكّر بأن **وصول "
                    "المساعدات الإنسانية حقٌّ لا مِنّة**، وبأن كل تأخير في إيصالها يضاعف معاناة "
                    "من أنهكتهم سنوات الحرب ثم الزلزال.",
                ),
                "demands": [
                    (
                        "المعابر",
                        "إبقاء جميع المعابر الحدودية مفتوحة أمام قوافل الأمم المتحدة مدةً لا تقل "
                        "عن اثني عشر شهراً، بما يتيح للمنظمات الإنسانية التخطيط لعملها.",
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
            },
        ],
        "signed_off": True,
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
        "corrected_by": CORRECTED_TITLE,
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

# The privacy notice the co-sign form links to, in each interface language.
PRIVACY_NOTICES = {
    "en": markdown(
        "The coalition publishes joint statements in the names of the organizations that "
        "sign them.",
        "## What we keep when you sign",
        "- **Your organization's** name, website, country and logo: they are shown on the "
        "statement.\n"
        "- **Your** name, title, email address and phone number, and your message: only the "
        "coalition's staff see them. We use them to confirm your signature and, if you ticked "
        "the box, to contact you about this statement.\n"
        "- The words you agreed to and when you agreed.",
        "## How long",
        "We keep your details while the statement is open for signatures and for a time after "
        "it closes, then erase them. Your organization's signature stays on the statement.",
        "## Your rights",
        "Write to [privacy@coalition.example.org](mailto:privacy@coalition.example.org) to see "
        "what we hold about you, to correct it or to have it erased.",
    ),
    "ar": markdown(
        "ينشر الائتلاف بيانات مشتركة بأسماء المنظمات التي توقّع عليها.",
        "## ما نحتفظ به عند توقيعك",
        "- **اسم منظمتك** وموقعها الإلكتروني وبلدها وشعارها: تظهر على البيان.\n"
        "- **اسمك** وصفتك وعنوان بريدك الإلكتروني ورقم هاتفك ورسالتك: لا يطّلع عليها إلا "
        "فريق الائتلاف. نستخدمها لتأكيد توقيعك، وللتواصل معك بشأن هذا البيان إن وضعت علامة "
        "في الخانة المخصّصة لذلك.\n"
        "- العبارات التي وافقت عليها ووقت موافقتك.",
        "## مدة الاحتفاظ",
        "نحتفظ ببياناتك ما دام البيان مفتوحًا للتوقيع ولمدة بعد إغلاقه، ثم نمحوها. "
        "ويبقى توقيع منظمتك على البيان.",
        "## حقوقك",
        "راسلنا على [privacy@coalition.example.org](mailto:privacy@coalition.example.org) "
        "للاطلاع على ما نحتفظ به عنك، أو لتصحيحه، أو لمحوه.",
    ),
}
