"""The admin's "Import a release": paste or upload a finished release, check on one page
what was recognised, correct it, confirm; the draft statement opens."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from statements.forms_importing import (
    DemandFormSet,
    OrganizationFormSet,
    PressContactFormSet,
    QuoteFormSet,
    ReleaseCheckForm,
    ReleaseSourceForm,
    check_payload_dumps,
)
from statements.services.importing import (
    ORGANIZATION_PARTS,
    contact_known,
    organization_known,
    release_import_create,
    release_import_matches,
)

LIST_PARTS = ("demands", "quotes", "issuers", "signatories", "press_contacts")
FORMSETS = {
    "demands": DemandFormSet,
    "quotes": QuoteFormSet,
    "issuers": OrganizationFormSet,
    "signatories": OrganizationFormSet,
    "press_contacts": PressContactFormSet,
}


def import_view(model_admin, request):
    """A GET shows the source form; a POST of it checks the release; a POST of the check
    page (it carries the signed payload) creates the draft."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(model_admin, request)
    source = ReleaseSourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if source.is_valid():
            return _check_page(model_admin, request, _check_forms(source.parsed, source.text))
        return _page(model_admin, request, "import.html", status=400, form=source)
    return _page(model_admin, request, "import.html", form=source)


def _snippets(parsed: dict, text: str) -> dict[str, str]:
    """What each part was made from: the parser's own note of it when it gives one,
    else the line of the pasted text where the part begins."""
    given = parsed.get("sources") or {}
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    found = {}
    for name in (*ReleaseCheckForm.base_fields, *LIST_PARTS):
        value = parsed.get(name)
        if isinstance(value, list):
            value = next((v for entry in value for v in entry.values() if v), "")
        start = " ".join(str(value or "").split())[:40]
        if snippet := given.get(name) or next(
            (line for line in lines if start and start in line), ""
        ):
            found[name] = snippet[:400]
    return found


def _check_forms(parsed: dict, text: str, data=None) -> dict:
    """The check page's forms: bound to a POST, or filled with what was recognised."""
    payload = {"parsed": parsed, "snippets": _snippets(parsed, text)}
    initial = ReleaseCheckForm.initial_from(parsed) | {"payload": check_payload_dumps(payload)}
    forms = {"release": ReleaseCheckForm(data, initial=initial)}
    matches = release_import_matches(parsed=parsed)
    for part, formset_class in FORMSETS.items():
        entries = parsed.get(part) or []
        if part == "press_contacts":
            entries = [PressContactFormSet.form.initial_from(entry) for entry in entries]
        if part in ORGANIZATION_PARTS:
            entries = [
                {**entry, "organization": matches[f"{part}-{i}"]} for i, entry in enumerate(entries)
            ]
        forms[part] = formset_class(data, initial=entries, prefix=part)
    forms["payload"] = payload
    return forms


def _confirm(model_admin, request):
    release = ReleaseCheckForm(request.POST)
    release.is_valid()
    if "payload" not in release.cleaned_data:
        # Without a payload we trust there is nothing to show again: start over.
        return _page(
            model_admin,
            request,
            "import.html",
            status=400,
            form=ReleaseSourceForm(),
            error=release.errors["payload"],
        )
    return _recheck(model_admin, request, release)


def _recheck(model_admin, request, release):
    """The check page as POSTed: confirmed if every part is valid, shown again if not."""
    payload = release.cleaned_data["payload"]
    forms = _check_forms(payload["parsed"], "", request.POST)
    forms["payload"] = payload
    forms["release"] = release
    if all(forms[part].is_valid() for part in FORMSETS) and release.is_valid():
        parsed, matches = _corrected(forms)
        try:
            statement = release_import_create(parsed=parsed, by=request.user, matches=matches)
        except ValidationError as error:
            release.add_error(None, error.messages)
        else:
            model_admin.message_user(
                request,
                gettext(
                    "“%(statement)s” is a draft made from the release: read it through, "
                    "then request sign-off or publish."
                )
                % {"statement": statement},
                messages.SUCCESS,
            )
            return redirect(reverse("admin:statements_statement_change", args=[statement.pk]))
    return _check_page(model_admin, request, forms, status=400)


def _corrected(forms) -> tuple[dict, dict]:
    """The release as staff corrected it, in the parser's shape, and the organizations
    they chose."""
    parsed = {k: v for k, v in forms["release"].cleaned_data.items() if k != "payload"}
    matches = {}
    for part in FORMSETS:
        rows = [f.cleaned_data for f in forms[part].forms if not f.cleaned_data.get("DELETE")]
        for i, row in enumerate(rows):
            row.pop("DELETE", None)
            if part in ORGANIZATION_PARTS:
                chosen = row.pop("organization")
                matches[f"{part}-{i}"] = chosen.pk if chosen else None
        parsed[part] = rows
    return parsed, matches


def _check_page(model_admin, request, forms, status=200):
    """Each part beside what it was made from, with what it matched among the known
    organizations and contacts."""
    release = forms["release"]
    snippets = forms["payload"]["snippets"]
    parsed = forms["payload"]["parsed"]
    # Each warning beside the part it is about; those about no one part above them all.
    by_part = parsed.get("warnings_by_part") or {}
    placed = {warning for warnings in by_part.values() for warning in warnings}
    fields = [
        (release[name], snippets.get(name, ""), by_part.get(name, []))
        for name in release.fields
        if name != "payload"
    ]
    contacts = []
    for form in forms["press_contacts"]:
        values = form.initial
        organization = organization_known(
            name=values.get("organization", ""), email=values.get("email", "")
        )
        contacts.append(
            (
                form,
                contact_known(
                    organization=organization,
                    name=values.get("name", ""),
                    title=values.get("title", ""),
                    email=values.get("email", ""),
                ),
            )
        )
    media = release.media + forms["issuers"].media
    return _page(
        model_admin,
        request,
        "import_check.html",
        status=status,
        form=release,
        fields=fields,
        snippets=snippets,
        warnings=[w for w in parsed.get("warnings") or [] if w not in placed],
        part_warnings=by_part,
        demands=forms["demands"],
        quotes=forms["quotes"],
        issuers=forms["issuers"],
        signatories=forms["signatories"],
        press_contacts=forms["press_contacts"],
        contacts=contacts,
        media=model_admin.media + media,
    )


def _page(model_admin, request, template: str, *, status: int = 200, **context):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": gettext("Import a release"),
    } | context
    return TemplateResponse(
        request, f"admin/statements/statement/{template}", context, status=status
    )
