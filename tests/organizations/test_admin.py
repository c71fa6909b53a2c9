import pytest
from django.urls import reverse

from organizations.models import Contact
from tests.factories import make_contact, make_organization

pytestmark = pytest.mark.django_db


def test_staff_give_an_organization_its_general_email(staff_client):
    organization = make_organization(name="Relief Works")
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    form = staff_client.get(url).context["adminform"].form

    assert "email" in form.fields
    data = {
        "name": "Relief Works", "short_name": "", "slug": organization.slug, "kind": "ngo",
        "country": "", "website": "", "email": "info@relief.example.org", "description": "",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "", "contacts-0-title": "Operations Manager",
        "contacts-0-email": "ops@relief.example.org", "contacts-0-phone": "",
    }  # fmt: skip
    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    organization.refresh_from_db()
    assert organization.email == "info@relief.example.org"
    contact = organization.contacts.get()
    assert (contact.name, contact.title) == ("", "Operations Manager")


def test_a_contact_needs_a_name_or_a_title(staff_client):
    organization = make_organization()
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    data = {
        "name": organization.name, "short_name": "", "slug": organization.slug, "kind": "ngo",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "", "contacts-0-title": "", "contacts-0-email": "x@example.org",
    }  # fmt: skip

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "Give the contact&#x27;s name, or their title" in response.content.decode()
    assert not Contact.objects.filter(email="x@example.org").exists()


def test_contacts_are_found_by_title(staff_client):
    make_contact(name="", title="Operations Manager")

    response = staff_client.get(
        reverse("admin:organizations_contact_changelist"), {"q": "operations"}
    )

    assert response.context["cl"].result_count == 1
