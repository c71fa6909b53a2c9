"""The signatory lines the tags write are the HTML the template loops wrote before them,
byte for byte, whatever a line holds."""

from datetime import date

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from statements.selectors import Signatory

JOINED = (
    '{% if signatory.joined_on %} <span class="joined-on text-body-secondary"{{ ui }}>— '
    '{% blocktranslate trimmed with iso=signatory.joined_on|date:"Y-m-d" '
    'date=signatory.joined_on|date:"j F Y" %}joined on <time datetime="{{ iso }}">{{ date }}'
    "</time>{% endblocktranslate %}</span>{% endif %}"
)
ORGANIZATIONS_BEFORE = (
    '{% load i18n %}<{{ numbered|yesno:"ol,ul" }} class="org-list signatory-list">\n'
    "  {% for signatory in signatories %}\n"
    '  <li class="signatory"{% if numbered and signatory.number %} value="{{ signatory.number }}"'
    '{% endif %}><a class="signatory-name" href="{{ signatory.url }}"><bdi>{{ signatory.name }}'
    "</bdi></a>{% if acronyms and signatory.short_name %} (<bdi>{{ signatory.short_name }}</bdi>)"
    "{% endif %}{% if details and signatory.country %}, <bdi>{{ signatory.country }}</bdi>"
    "{% endif %}" + JOINED + '</li>\n  {% endfor %}\n</{{ numbered|yesno:"ol,ul" }}>\n'
)
INDIVIDUALS_BEFORE = (
    "{% load i18n %}{% for signatory in individuals %}\n"
    '  <li class="signatory individual"{% if signatory.number %} value="{{ signatory.number }}"'
    '{% endif %}><bdi class="signatory-name">{{ signatory.name }}</bdi>{% if signatory.title %}'
    ", <bdi>{{ signatory.title }}</bdi>{% endif %}{% if signatory.affiliation %}, <bdi>"
    "{{ signatory.affiliation }}</bdi>{% endif %}{% if details and signatory.country %}, <bdi>"
    "{{ signatory.country }}</bdi>{% endif %}" + JOINED + "</li>\n{% endfor %}\n"
)

ORGANIZATIONS = [
    Signatory(kind="organization", name="Aid & <Relief>", url="/o/aid-relief/", number=1),
    Signatory(
        kind="organization",
        name="جمعية الإغاثة",
        url="/o/%D8%AC/",
        short_name='A"R',
        country="France",
        joined_on=date(2026, 12, 3),
        number=2,
    ),
    Signatory(kind="organization", name="Plain", url="/o/plain/", country="Chad"),
]
INDIVIDUALS = [
    Signatory(kind="individual", name="Ana <b>", title="Dr & Prof", affiliation="Uni", number=7),
    Signatory(kind="individual", name="Lea", country="Mali", joined_on=date(2026, 1, 9)),
]


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("flags", [(False, False, False), (True, True, True), (True, False, True)])
@pytest.mark.parametrize("ui", ["", ' lang="en" dir="ltr"'])
def test_the_lines_are_the_templates_of_before(language, flags, ui):
    numbered, acronyms, details = flags
    context = {
        "signatories": ORGANIZATIONS,
        "individuals": INDIVIDUALS,
        "numbered": numbered,
        "acronyms": acronyms,
        "details": details,
        "ui": mark_safe(ui),
    }
    with translation.override(language):
        for before, name in [
            (ORGANIZATIONS_BEFORE, "statements/_signatory_list.html"),
            (INDIVIDUALS_BEFORE, "statements/_individual_rows.html"),
        ]:
            expected = Template(before).render(Context(context))
            assert render_to_string(name, context) == expected
