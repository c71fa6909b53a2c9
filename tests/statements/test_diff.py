from django.utils.safestring import SafeString

from statements.diff import diff_text, version_sections, versions_compared, word_diff


def make_content(**overrides) -> dict:
    content = {
        "title": "Stop the strikes on hospitals",
        "standfirst": "Twelve organizations call for protection of health care.",
        "body": "We condemn the attack.\n\nWe call on all parties to act.",
        "demands": [{"heading": "Ceasefire", "text": "An immediate ceasefire."}],
        "quotes": [
            {
                "text": "Hospitals are not targets.",
                "person_name": "Amal Haddad",
                "person_title": "Director",
                "organization": "Health Watch",
            }
        ],
        "signatories": [
            {"organization": "Health Watch", "role": "issuer"},
            {"organization": "Rights Now", "role": "signatory"},
            {"organization": "Aid First", "role": "issuer"},
            {"organization": "Medics United", "role": "signatory"},
        ],
    }
    return content | overrides


def rows_by_label(old: dict, new: dict) -> dict[str, dict]:
    return {row["label"]: row for row in versions_compared(old, new)}


def test_the_sections_follow_the_reading_order():
    assert version_sections(make_content()) == [
        ("Headline", "Stop the strikes on hospitals"),
        ("Standfirst", "Twelve organizations call for protection of health care."),
        ("Body", "We condemn the attack.\n\nWe call on all parties to act."),
        ("Demand 1", "Ceasefire: An immediate ceasefire."),
        ("Quote 1", "“Hospitals are not targets.” — Amal Haddad, Director, Health Watch"),
        ("Issued by", "Health Watch; Aid First"),
        ("Signed by", "Rights Now; Medics United"),
    ]


def test_empty_parts_are_left_out_and_missing_keys_count_as_empty():
    content = {
        "title": "Title",
        "demands": [{"heading": "", "text": "Release the detainees."}],
        "quotes": [{"text": "Enough.", "person_name": "Sami", "person_title": ""}],
    }
    assert version_sections(content) == [
        ("Headline", "Title"),
        ("Standfirst", ""),
        ("Body", ""),
        ("Demand 1", "Release the detainees."),
        ("Quote 1", "“Enough.” — Sami"),
        ("Issued by", ""),
        ("Signed by", ""),
    ]


def test_identical_versions_have_no_changes():
    rows = versions_compared(make_content(), make_content())

    assert [row["changed"] for row in rows] == [False] * 7
    for row in rows:
        assert row["old"] == row["new"]
        assert "<del>" not in row["old"] and "<ins>" not in row["new"]


def test_a_changed_word_is_deleted_on_the_old_side_and_inserted_on_the_new():
    old = make_content()
    new = make_content(body="We deplore the attack.\n\nWe call on all parties to act.")

    body = rows_by_label(old, new)["Body"]

    assert body["changed"] is True
    assert body["old"] == "We <del>condemn</del> the attack.\n\nWe call on all parties to act."
    assert body["new"] == "We <ins>deplore</ins> the attack.\n\nWe call on all parties to act."
    assert rows_by_label(old, new)["Headline"]["changed"] is False


def test_the_sides_are_safe_strings():
    old_html, new_html = word_diff("a", "b")

    assert isinstance(old_html, SafeString)
    assert isinstance(new_html, SafeString)


def test_added_and_removed_words_only_show_on_their_own_side():
    assert word_diff("the quick fox", "the fox") == ("the <del>quick </del>fox", "the fox")
    assert word_diff("the fox", "the red fox") == ("the fox", "the <ins>red </ins>fox")


def test_a_run_of_changed_words_is_one_change():
    assert word_diff("a quick brown fox", "a slow red fox") == (
        "a <del>quick brown</del> fox",
        "a <ins>slow red</ins> fox",
    )


def test_an_added_demand_is_only_on_the_new_side():
    old = make_content()
    new = make_content(demands=[*old["demands"], {"heading": "Access", "text": "Let aid through."}])

    rows = versions_compared(old, new)

    assert [row["label"] for row in rows] == [
        "Headline", "Standfirst", "Body", "Demand 1", "Demand 2", "Quote 1",
        "Issued by", "Signed by",
    ]  # fmt: skip
    added = rows[4]
    assert added == {
        "label": "Demand 2",
        "old": "",
        "new": "<ins>Access: Let aid through.</ins>",
        "changed": True,
    }


def test_a_demand_added_to_a_version_without_demands_goes_before_the_quotes():
    old = make_content(demands=[])
    new = make_content()

    labels = [row["label"] for row in versions_compared(old, new)]

    assert labels.index("Demand 1") == labels.index("Body") + 1
    assert labels.index("Quote 1") == labels.index("Demand 1") + 1


def test_a_removed_quote_is_only_on_the_old_side():
    old = make_content()
    new = make_content(quotes=[])

    quote = rows_by_label(old, new)["Quote 1"]

    assert quote["old"].startswith("<del>“Hospitals")
    assert quote["new"] == ""
    assert quote["changed"] is True


def test_it_escapes_the_text():
    old_html, new_html = word_diff(
        "Rights & freedoms", "Rights & <script>alert(1)</script> freedoms"
    )

    assert old_html == "Rights &amp; freedoms"
    assert new_html == "Rights &amp; <ins>&lt;script&gt;alert(1)&lt;/script&gt; </ins>freedoms"
    assert "<script>" not in new_html


def test_it_escapes_unchanged_text_on_both_sides():
    old_html, new_html = word_diff("<b>bold</b> & more", "<b>bold</b> & less")

    assert old_html == "&lt;b&gt;bold&lt;/b&gt; &amp; <del>more</del>"
    assert new_html == "&lt;b&gt;bold&lt;/b&gt; &amp; <ins>less</ins>"


def test_it_keeps_whitespace_and_newlines():
    old = "First  line.\n\n  Indented\tline."
    new = "First  line.\n\n  Indented\tline, changed."

    old_html, new_html = word_diff(old, new)

    assert old_html == "First  line.\n\n  Indented\t<del>line.</del>"
    assert new_html == "First  line.\n\n  Indented\t<ins>line, changed.</ins>"
    assert "<br" not in new_html


def test_a_changed_line_break_is_a_change():
    old_html, new_html = word_diff("one two", "one\ntwo")

    assert old_html == "one<del> </del>two"
    assert new_html == "one<ins>\n</ins>two"


def test_arabic_text_is_compared_word_by_word():
    old = "نطالب بوقف فوري لإطلاق النار"
    new = "نطالب بوقف دائم لإطلاق النار"

    old_html, new_html = word_diff(old, new)

    assert old_html == "نطالب بوقف <del>فوري</del> لإطلاق النار"
    assert new_html == "نطالب بوقف <ins>دائم</ins> لإطلاق النار"


def test_diff_text_is_empty_for_identical_versions():
    assert diff_text(make_content(), make_content()) == ""


def test_diff_text_lists_only_the_changed_sections():
    old = make_content()
    new = make_content(
        title="Stop the strikes on clinics",
        signatories=[*old["signatories"], {"organization": "Nurses Aid", "role": "signatory"}],
    )

    assert diff_text(old, new) == (
        "Headline:\n"
        "- Stop the strikes on hospitals\n"
        "+ Stop the strikes on clinics\n"
        "\n"
        "Signed by:\n"
        "- Rights Now; Medics United\n"
        "+ Rights Now; Medics United; Nurses Aid"
    )


def test_diff_text_shows_the_changed_sentence_with_the_one_before_it():
    old = make_content()
    new = make_content(body="We condemn the attack.\n\nWe call on everyone to act.")

    assert diff_text(old, new) == (
        "Body:\n"
        "  We condemn the attack.\n"
        "- We call on all parties to act.\n"
        "+ We call on everyone to act."
    )


LONG_BODY = (
    "The strike hit the market at noon. Twelve people were killed. Dozens were hurt.\n\n"
    "Witnesses saw no military target nearby. The market was full of families. "
    "“We lost everything,” said one trader. Aid workers reached the site an hour later.\n\n"
    "We call for an independent investigation. Those responsible must be held to account."
)


def test_diff_text_shows_a_two_word_change_in_a_long_body_with_a_little_context():
    old = make_content(body=LONG_BODY)
    new = make_content(body=LONG_BODY.replace("an hour later", "two hours later"))

    assert diff_text(old, new) == (
        "Body:\n"
        "  …\n"
        "  “We lost everything,” said one trader.\n"
        "- Aid workers reached the site an hour later.\n"
        "+ Aid workers reached the site two hours later.\n"
        "  We call for an independent investigation.\n"
        "  …"
    )


def test_diff_text_separates_changes_far_apart():
    old = make_content(body=LONG_BODY)
    new = make_content(body=LONG_BODY.replace("at noon", "at dawn").replace("must be", "will be"))

    assert diff_text(old, new) == (
        "Body:\n"
        "- The strike hit the market at noon.\n"
        "+ The strike hit the market at dawn.\n"
        "  Twelve people were killed.\n"
        "  …\n"
        "  We call for an independent investigation.\n"
        "- Those responsible must be held to account.\n"
        "+ Those responsible will be held to account."
    )


def test_diff_text_says_when_only_the_layout_changed():
    old = make_content(body="We condemn the attack. We call on all parties to act.")
    new = make_content(body="We condemn the attack.\n\nWe call on all parties  to act.")

    assert diff_text(old, new) == "Body:\n  (only the spacing or the line breaks changed)"


def test_diff_text_shows_one_side_for_a_section_only_one_version_has():
    old = make_content()
    new = make_content(
        demands=[*old["demands"], {"heading": "", "text": "Let aid through."}],
        quotes=[],
    )

    assert diff_text(old, new) == (
        "Demand 2:\n"
        "+ Let aid through.\n"
        "\n"
        "Quote 1:\n"
        "- “Hospitals are not targets.” — Amal Haddad, Director, Health Watch"
    )
