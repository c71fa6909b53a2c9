import pytest

from core.names import has_hidden_characters, name_clean, name_key

CYRILLIC_A = "\u0410"
CYRILLIC_SMALL_A = "\u0430"
GREEK_OMICRON = "\u03bf"
ZERO_WIDTH_SPACE = "\u200b"
RIGHT_TO_LEFT_OVERRIDE = "\u202e"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (f"Amnesty{ZERO_WIDTH_SPACE} International", "Amnesty International"),
        (f"{RIGHT_TO_LEFT_OVERRIDE}gro.elpmaxe Relief", "gro.elpmaxe Relief"),
        ("Zero\u200dWidth\u2066Joiner\u2069", "ZeroWidthJoiner"),
        ("  Many\t spaces\n here ", "Many spaces here"),
        ("\uff21\uff49\uff44 Group", "Aid Group"),  # full-width letters, in compatibility form
        ("Bell\x07 Aid", "Bell Aid"),
        ("جمعية الأمل للإغاثة", "جمعية الأمل للإغاثة"),
        ("Zoë Çelik-Müller", "Zoë Çelik-Müller"),
    ],
)
def test_a_name_is_stored_without_what_no_one_sees(typed, stored):
    assert name_clean(typed) == stored


@pytest.mark.parametrize(
    "look_alike",
    [
        "AMNESTY INTERNATIONAL",
        "amnesty international",
        f"{CYRILLIC_A}mnesty International",
        f"Amnesty Internation{CYRILLIC_SMALL_A}l",
        f"Amnesty Internati{GREEK_OMICRON}nal",
        "Amnesty lnternational",  # a small L for the capital I
        f"Amnesty{ZERO_WIDTH_SPACE} International",
        "Amnesty  International ",
    ],
)
def test_names_that_look_alike_share_a_key(look_alike):
    assert name_key(look_alike) == name_key("Amnesty International")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Amnesty International", "Amnesty Internationale"),
        ("Amnesty International", "Amnesty Intl"),
        ("Société", "Societe"),
        ("جمعية الأمل", "جمعية الامل"),
    ],
)
def test_names_that_differ_to_the_eye_keep_their_own_keys(one, other):
    assert name_key(one) != name_key(other)


def test_hidden_characters_are_found():
    assert has_hidden_characters(f"a@{RIGHT_TO_LEFT_OVERRIDE}gro.elpmaxe")
    assert has_hidden_characters(f"a@exa{ZERO_WIDTH_SPACE}mple.org")
    assert not has_hidden_characters("layla@rukban.example.org")
