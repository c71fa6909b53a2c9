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
