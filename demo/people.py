"""The demo's people and organizations: all fictional, so the demo never speaks for a
real group or person."""

from organizations.models import Organization

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
        "logo_color": "#6b3f8f",
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
    # Arabic-speaking: her sign-off request and press emails are in Arabic.
    {
        "organization": "AMAL",
        "name": "سلمى العلي",
        "title": "مديرة البرامج",
        "email": "salma@alamal-relief.example.org",
        "phone": "+90 342 555 0112",
        "language": "ar",
    },
    {
        "organization": "OCN",
        "name": "Emre Demir",
        "title": "Advocacy Officer",
        "email": "advocacy@openclinics.example.org",
        "language": "en",
    },
    {
        "organization": "LSSF",
        "name": "Tom Ashworth",
        "title": "Press Officer",
        "email": "press@lssf.example.org",
        "phone": "+44 20 7946 0321",
    },
]

# People who signed the market-strike statement in their own name, as staff added them
# from the coalition's list: their title, an affiliation (printed for identification
# only) and country. sort_as corrects where alphabetical lists put a name whose family
# name is not its last word; joined_after is how many days after publication staff
# approved a late signer.
INDIVIDUALS = [
    {"signer_name": "Amaka Okafor", "signer_title": "Professor of Public Health",
     "affiliation": "University of Lagos", "signer_country": "NG"},
    {"signer_name": "Rana Haddad", "signer_title": "Paediatrician",
     "affiliation": "Bab al-Hawa Hospital", "signer_country": "SY"},
    {"signer_name": "María de la Cruz", "signer_title": "Human rights lawyer",
     "affiliation": "Colegio de Abogados de Madrid", "signer_country": "ES",
     "sort_as": "de la Cruz, María"},
    {"signer_name": "أحمد عبد الله", "signer_title": "طبيب جرّاح",
     "affiliation": "مستشفى إدلب المركزي", "signer_country": "SY",
     "sort_as": "عبد الله، أحمد"},
    {"signer_name": "Johanna Becker", "signer_title": "Member of the Bundestag",
     "affiliation": "", "signer_country": "DE"},
    {"signer_name": "Samir Khoury", "signer_title": "Journalist",
     "affiliation": "", "signer_country": "LB"},
    {"signer_name": "ليلى الأحمد", "signer_title": "ناشطة في مجال حقوق المرأة",
     "affiliation": "", "signer_country": "SY"},
    {"signer_name": "Thomas Whitaker", "signer_title": "Emeritus Professor of History",
     "affiliation": "University of Edinburgh", "signer_country": "GB"},
    {"signer_name": "Nour Al-Hussein", "signer_title": "Nurse",
     "affiliation": "Open Clinics Network", "signer_country": "TR"},
    {"signer_name": "David Levy", "signer_title": "Rabbi",
     "affiliation": "Interfaith Council for Refugees", "signer_country": "CA"},
    {"signer_name": "محمد الخطيب", "signer_title": "مدرّس",
     "affiliation": "شبكة معلمي حماة", "signer_country": "TR"},
    {"signer_name": "Claire Dubois", "signer_title": "Photographer",
     "affiliation": "", "signer_country": "FR"},
    {"signer_name": "Yusuf Demir", "signer_title": "Architect",
     "affiliation": "Middle East Technical University", "signer_country": "TR"},
    {"signer_name": "Sarah O'Connell", "signer_title": "Researcher",
     "affiliation": "Trinity College Dublin", "signer_country": "IE"},
    {"signer_name": "خالد منصور", "signer_title": "متطوع في الدفاع المدني",
     "affiliation": "", "signer_country": "SY"},
    {"signer_name": "Ingrid Solberg", "signer_title": "Former ambassador",
     "affiliation": "", "signer_country": "NO"},
    {"signer_name": "Omar Farouk", "signer_title": "Imam",
     "affiliation": "Interfaith Council for Refugees", "signer_country": "CA"},
    {"signer_name": "Elena Petrova", "signer_title": "Professor of International Law",
     "affiliation": "Leiden University", "signer_country": "NL"},
    {"signer_name": "هبة السيد", "signer_title": "صحفية",
     "affiliation": "", "signer_country": "EG"},
    {"signer_name": "James Mitchell", "signer_title": "Surgeon",
     "affiliation": "Federation of Health Workers", "signer_country": "GB"},
    {"signer_name": "Fatima Zahra Benali", "signer_title": "Novelist",
     "affiliation": "", "signer_country": "MA"},
    {"signer_name": "Lucas Moreau", "signer_title": "Student",
     "affiliation": "Sciences Po", "signer_country": "FR"},
    {"signer_name": "سلمى حداد", "signer_title": "أستاذة جامعية",
     "affiliation": "جامعة دمشق سابقاً", "signer_country": "DE"},
    {"signer_name": "Aisha Rahman", "signer_title": "City councillor",
     "affiliation": "", "signer_country": "GB"},
    {"signer_name": "Mark Jensen", "signer_title": "Pastor",
     "affiliation": "", "signer_country": "US"},
    {"signer_name": "Hiba Kanaan", "signer_title": "Psychologist",
     "affiliation": "Médecins du Monde", "signer_country": "FR", "joined_after": 3},
    {"signer_name": "Peter Novak", "signer_title": "Trade unionist",
     "affiliation": "", "signer_country": "CZ", "joined_after": 3},
    {"signer_name": "يوسف العلي", "signer_title": "مهندس",
     "affiliation": "", "signer_country": "JO", "joined_after": 5},
    {"signer_name": "Grace Mensah", "signer_title": "Midwife",
     "affiliation": "", "signer_country": "GH", "joined_after": 8},
    {"signer_name": "Tariq Aziz Malik", "signer_title": "Lawyer",
     "affiliation": "", "signer_country": "PK", "joined_after": 8},
]  # fmt: skip

# Two partners who used the co-sign form: one confirmed and waiting in the
# moderation queue, one yet to click the link in the email that make run's
# worker delivers to the development mailbox.
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


# Name, title, address, beat and the language press releases are sent to them in.
JOURNALISTS = [
    (
        "Maya Karam",
        "Regional correspondent",
        "maya.karam@levantdispatch.example.org",
        "Syria",
        "en",
    ),
    (
        "Daniel Osei",
        "Foreign desk editor",
        "d.osei@levantdispatch.example.org",
        "Middle East",
        "en",
    ),
    ("Leila Mansour", "Humanitarian affairs", "leila@levantdispatch.example.org", "Aid", "en"),
    ("رامي الخطيب", "مراسل الشؤون السورية", "rami@levantdispatch.example.org", "سوريا", "ar"),
]
