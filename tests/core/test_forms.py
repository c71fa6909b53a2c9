"""Text boxes and text areas find their direction (dir="auto") in every form: the
admin's own, its inlines and custom pages, in every app."""

import re

import pytest
from django import forms
from django.urls import reverse

from organizations.models import Suppression
from organizations.services import suppression_add
from statements.models import Statement
from tests.factories import make_contact, make_full_statement, make_organization

pytestmark = pytest.mark.django_db


def tag(html: str, name: str) -> str:
    """The opening tag of the control called name."""
    return re.search(rf'<(?:input|textarea)[^>]* name="{re.escape(name)}"[^>]*>', html).group(0)


def test_a_statements_change_form_and_its_inlines_find_their_direction(staff_client):
    statement = make_full_statement(language="ar")
    # A draft: once published, its text is read-only (corrected through its own page).
    statement.status = Statement.Status.DRAFT
    statement.save()

    html = staff_client.get(
        reverse("admin:statements_statement_change", args=[statement.pk])
    ).content.decode()

    assert 'dir="auto"' in tag(html, "title")
    assert 'dir="auto"' in tag(html, "body")  # a text area
    assert 'dir="auto"' in tag(html, "demands-0-heading")  # a stacked inline
    assert 'dir="auto"' in tag(html, "demands-0-text")
    assert 'dir="auto"' in tag(html, "demands-__prefix__-heading")  # the row "Add another" copies


def test_a_tabular_inline_and_the_organization_form_find_their_direction(staff_client):
    organization = make_organization(name="الشبكة السورية")
    make_contact(organization=organization, name="رنا حداد", email="rana@example.org")

    html = staff_client.get(
        reverse("admin:organizations_organization_change", args=[organization.pk])
    ).content.decode()

    assert 'dir="auto"' in tag(html, "name")
    assert 'dir="auto"' in tag(html, "description")
    assert 'dir="auto"' in tag(html, "contacts-0-name")
    # Addresses and numbers are not text to read: they keep the page's rules.
    assert "dir=" not in tag(html, "website")
    assert "dir=" not in tag(html, "contacts-0-email")


def test_a_custom_admin_page_finds_its_direction(staff_client):
    suppression = suppression_add(email="a@example.org", reason=Suppression.Reason.HARD_BOUNCE)

    html = staff_client.post(
        reverse("admin:organizations_suppression_changelist"),
        {"action": "lift_selected", "_selected_action": [suppression.pk]},
    ).content.decode()

    assert 'dir="auto"' in tag(html, "reason")


def test_a_widget_that_names_its_direction_keeps_it():
    class PhoneForm(forms.Form):
        phone = forms.CharField(widget=forms.TextInput(attrs={"dir": "ltr"}))
        note = forms.CharField()

    form = PhoneForm()

    assert 'dir="ltr"' in str(form["phone"])
    assert 'dir="auto"' not in str(form["phone"])
    assert 'dir="auto"' in str(form["note"])
