import pytest
from django.urls import reverse

from organizations.models import Organization, PressList, Suppression, address_hash
from organizations.services import suppression_add, suppression_lift
from tests.factories import make_contact, make_organization

pytestmark = pytest.mark.django_db

SUPPRESSIONS_URL = reverse("admin:organizations_suppression_changelist")


def names(response) -> list[str]:
    return [str(obj) for obj in response.context["cl"].result_list]


def test_press_lists_show_how_many_contacts_they_hold(staff_client):
    desks = PressList.objects.create(name="US national desks")
    desks.contacts.add(make_contact(), make_contact())
    PressList.objects.create(name="Wires")

    response = staff_client.get(reverse("admin:organizations_presslist_changelist"))

    counts = {p.name: p.contact_count for p in response.context["cl"].result_list}
    assert counts == {"US national desks": 2, "Wires": 0}


@pytest.mark.filterwarnings("error")
def test_press_lists_are_paged_in_order_by_the_changelist_and_the_autocomplete(staff_client):
    PressList.objects.create(name="Wires")
    PressList.objects.create(name="US national desks")

    listed = staff_client.get(reverse("admin:organizations_presslist_changelist"))
    found = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "press", "model_name": "distribution", "field_name": "press_lists"},
    )

    assert names(listed) == ["US national desks", "Wires"]
    assert [r["text"] for r in found.json()["results"]] == ["US national desks", "Wires"]


def test_press_lists_are_searched_by_name(staff_client):
    PressList.objects.create(name="US national desks")
    PressList.objects.create(name="Wires")

    response = staff_client.get(reverse("admin:organizations_presslist_changelist"), {"q": "desk"})

    assert names(response) == ["US national desks"]


def test_a_press_list_picks_its_contacts_by_autocomplete(staff_client):
    press_list = PressList.objects.create(name="Wires")
    reuters = make_organization(name="Reuters", kind=Organization.Kind.MEDIA)
    wanted = make_contact(name="Amal", organization=reuters, beat="Levant")
    make_contact(name="Other")

    form = staff_client.get(reverse("admin:organizations_presslist_change", args=[press_list.pk]))
    assert "admin-autocomplete" in form.content.decode()
    found = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "organizations", "model_name": "presslist", "field_name": "contacts",
         "term": "levant"},
    )  # fmt: skip

    assert [r["id"] for r in found.json()["results"]] == [str(wanted.pk)]


def test_contacts_are_filtered_by_press_list_organization_kind_and_language(staff_client):
    outlet = make_organization(kind=Organization.Kind.MEDIA)
    journalist = make_contact(name="Journalist", organization=outlet, language="ar")
    make_contact(name="Campaigner", language="ar")
    make_contact(name="Anglophone journalist", organization=outlet, language="en")
    press_list = PressList.objects.create(name="Gulf desks")
    press_list.contacts.add(journalist)
    url = reverse("admin:organizations_contact_changelist")

    by_list = staff_client.get(url, {"press_lists__id__exact": press_list.pk})
    by_kind_and_language = staff_client.get(
        url, {"organization__kind__exact": "media", "language": "ar"}
    )

    assert [c.name for c in by_list.context["cl"].result_list] == ["Journalist"]
    assert [c.name for c in by_kind_and_language.context["cl"].result_list] == ["Journalist"]


def test_contacts_are_searched_by_beat(staff_client):
    make_contact(name="Covers Syria", beat="Syria and Lebanon")
    make_contact(name="Covers sport", beat="Football")

    response = staff_client.get(reverse("admin:organizations_contact_changelist"), {"q": "lebanon"})

    assert [c.name for c in response.context["cl"].result_list] == ["Covers Syria"]


def test_suppressions_are_listed_filtered_and_searched(staff_client, staff):
    suppression_add(email="gone@example.org", reason=Suppression.Reason.HARD_BOUNCE)
    suppression_add(email="angry@example.org", reason=Suppression.Reason.COMPLAINT)
    lifted = suppression_add(email="back@example.org", reason=Suppression.Reason.UNSUBSCRIBED)
    suppression_lift(suppression=lifted, by=staff, reason="Asked to be back.")

    everything = staff_client.get(SUPPRESSIONS_URL)
    in_force = staff_client.get(SUPPRESSIONS_URL, {"lifted": "no"})
    bounces = staff_client.get(SUPPRESSIONS_URL, {"reason__exact": "hard_bounce"})
    searched = staff_client.get(SUPPRESSIONS_URL, {"q": "ANGRY"})

    assert len(names(everything)) == 3
    assert sorted(names(in_force)) == [
        "angry@example.org (spam complaint)", "gone@example.org (hard bounce)",
    ]  # fmt: skip
    assert names(staff_client.get(SUPPRESSIONS_URL, {"lifted": "yes"})) == [
        "back@example.org (unsubscribed)"
    ]
    assert names(bounces) == ["gone@example.org (hard bounce)"]
    assert names(searched) == ["angry@example.org (spam complaint)"]
    html = everything.content.decode()
    for column in ["Email", "Reason", "Created at", "Lifted at"]:
        assert column in html


def test_staff_add_a_suppression_by_hand(staff_client):
    response = staff_client.post(
        reverse("admin:organizations_suppression_add"),
        {"email": " Someone@Example.ORG ", "detail": "Asked us by phone."},
    )

    assert response.status_code == 302
    suppression = Suppression.objects.get()
    assert suppression.email == "someone@example.org"
    assert suppression.reason == Suppression.Reason.STAFF
    assert suppression.detail == "Asked us by phone."


def test_an_address_already_suppressed_is_not_added_twice(staff_client):
    suppression_add(email="someone@example.org", reason=Suppression.Reason.UNSUBSCRIBED)

    response = staff_client.post(
        reverse("admin:organizations_suppression_add"), {"email": "SOMEONE@example.org"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "email": ["This address is already suppressed (unsubscribed)."]
    }
    assert Suppression.objects.count() == 1


def lift(client, *suppressions, **data):
    return client.post(
        SUPPRESSIONS_URL,
        {"action": "lift_selected", "_selected_action": [s.pk for s in suppressions], **data},
    )


def test_lifting_asks_for_a_reason_first(staff_client):
    suppression = suppression_add(email="a@example.org", reason=Suppression.Reason.HARD_BOUNCE)

    asked = lift(staff_client, suppression)
    refused = lift(staff_client, suppression, post="yes", reason="   ")

    assert asked.status_code == 200
    assert "a@example.org" in asked.content.decode()
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"reason": ["This field is required."]}
    suppression.refresh_from_db()
    assert suppression.lifted_at is None


def test_lifting_records_who_when_and_why(staff_client, staff):
    first = suppression_add(email="a@example.org", reason=Suppression.Reason.HARD_BOUNCE)
    second = suppression_add(email="b@example.org", reason=Suppression.Reason.UNSUBSCRIBED)

    response = lift(staff_client, first, second, post="yes", reason=" Mailbox fixed. ")

    assert response.status_code == 302
    for suppression in (first, second):
        suppression.refresh_from_db()
        assert suppression.lifted_at is not None
        assert suppression.lifted_by == staff
        assert suppression.lift_reason == "Mailbox fixed."
    assert not Suppression.objects.active().exists()


def test_a_suppression_already_lifted_is_left_as_it_is(staff_client, staff):
    suppression = suppression_add(email="a@example.org", reason=Suppression.Reason.HARD_BOUNCE)
    suppression_lift(suppression=suppression, by=staff, reason="First time.")

    response = lift(staff_client, suppression, post="yes", reason="Second time.")

    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["a@example.org: This suppression was already lifted."]
    suppression.refresh_from_db()
    assert suppression.lift_reason == "First time."


def test_a_lifted_suppression_shows_who_when_and_why_read_only(staff_client, staff):
    suppression = suppression_add(email="a@example.org", reason=Suppression.Reason.HARD_BOUNCE)
    suppression_lift(suppression=suppression, by=staff, reason="Mailbox fixed.")

    response = staff_client.get(
        reverse("admin:organizations_suppression_change", args=[suppression.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mailbox fixed." in html
    assert "editor" in html
    assert "Lifted at" in html
    assert 'name="email"' not in html
    assert "deletelink" not in html


def test_suppressions_cannot_be_edited_or_deleted(staff_client):
    suppression = suppression_add(email="a@example.org", reason=Suppression.Reason.HARD_BOUNCE)

    edited = staff_client.post(
        reverse("admin:organizations_suppression_change", args=[suppression.pk]),
        {"email": "b@example.org", "detail": "changed"},
    )
    deleted = staff_client.post(
        reverse("admin:organizations_suppression_delete", args=[suppression.pk]), {"post": "yes"}
    )
    actions = staff_client.get(SUPPRESSIONS_URL).context["action_form"].fields["action"].choices

    assert edited.status_code == 403
    assert deleted.status_code == 403
    assert [name for name, _ in actions] == ["", "lift_selected"]
    suppression.refresh_from_db()
    assert (suppression.email, suppression.detail) == ("a@example.org", "")


@pytest.mark.parametrize(
    "name",
    [
        "organizations_suppression_changelist",
        "organizations_suppression_add",
        "organizations_presslist_changelist",
        "organizations_presslist_add",
        "organizations_contact_changelist",
    ],
)
def test_outsiders_are_sent_to_the_login_page(client, name):
    response = client.get(reverse(f"admin:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_outsiders_cannot_lift_a_suppression(client):
    suppression = suppression_add(email="a@example.org", reason=Suppression.Reason.HARD_BOUNCE)

    response = lift(client, suppression, post="yes", reason="Let me in.")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    suppression.refresh_from_db()
    assert suppression.lifted_at is None


def test_staff_who_may_only_view_suppressions_cannot_lift_them(client, viewer):
    suppression = suppression_add(email="a@example.org", reason=Suppression.Reason.HARD_BOUNCE)

    listed = client.get(SUPPRESSIONS_URL)
    response = lift(client, suppression, post="yes", reason="Let me in.")

    assert listed.status_code == 200
    assert "lift_selected" not in listed.content.decode()
    assert response.status_code == 200
    suppression.refresh_from_db()
    assert suppression.lifted_at is None


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (1, "رُفع الحظر عن عنوان واحد."),
        (2, "رُفع الحظر عن عنوانين."),
        (3, "رُفع الحظر عن 3 عناوين."),
        (11, "رُفع الحظر عن 11 عنوانًا."),
        (100, "رُفع الحظر عن 100 عنوان."),
    ],
)
def test_lifting_says_how_many_in_arabic_with_the_right_plural(staff_client, count, message):
    staff_client.post(reverse("set_language"), {"language": "ar", "next": SUPPRESSIONS_URL})
    suppressions = Suppression.objects.bulk_create(
        Suppression(
            email=f"{n}@example.org",
            email_hash=address_hash(f"{n}@example.org"),
            reason=Suppression.Reason.HARD_BOUNCE,
        )
        for n in range(count)
    )

    response = lift(staff_client, *suppressions, post="yes", reason="عادت العناوين صالحة.")

    assert [str(m) for m in response.wsgi_request._messages] == [message]


def test_a_refused_lift_says_why_in_arabic(staff_client, staff):
    staff_client.post(reverse("set_language"), {"language": "ar", "next": SUPPRESSIONS_URL})
    lifted = suppression_add(email="a@example.org", reason=Suppression.Reason.HARD_BOUNCE)
    suppression_lift(suppression=lifted, by=staff, reason="Fixed.")

    response = lift(staff_client, lifted, post="yes", reason="مرة أخرى.")

    assert [str(m) for m in response.wsgi_request._messages] == [
        "a@example.org: رُفع هذا الحظر من قبل."
    ]
