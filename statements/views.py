"""The pages partners reach through a link: the co-sign form (public, or private before
publication), the confirm and withdraw links of a signature, and the sign-off link."""

import logging

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache

from core.http import noindex
from core.languages import LANGUAGES, direction, interface_language
from statements.forms import CosignForm, ResendForm, SignoffAnswerForm
from statements.markdown import render_markdown
from statements.models import SignatureToken, Statement
from statements.ratelimits import rate_limited
from statements.selectors import statement_context, version_languages, version_text
from statements.services import cosigning, signoff

logger = logging.getLogger(__name__)

# Co-signing: the same pages behind the public address of a published statement
# (/statements/<slug>/sign/) and behind the private link staff share before it
# (/cosign/<key>/).


def _cosign_statement(slug: str | None, key: str | None) -> Statement:
    if key is not None:
        statement = get_object_or_404(Statement, cosign_key=key)
    else:
        statement = get_object_or_404(Statement.objects.published(), slug=slug)
    # A translation's page signs its original: co-signing is the release's.
    if not statement.original.cosign_open or statement.status in (
        Statement.Status.ARCHIVED,
        Statement.Status.RETRACTED,
    ):
        raise Http404("This statement is not open for co-signing")
    return statement


def _cosign_urls(statement: Statement, private: bool) -> dict[str, str]:
    prefix, arg = (
        ("cosign_private", statement.cosign_key) if private else ("cosign", statement.slug)
    )
    return {
        name: reverse(f"{prefix}{suffix}", args=[arg])
        for name, suffix in [("form", ""), ("sent", "_sent"), ("resend", "_resend")]
    }


def _cosign_page(request, template, statement, *, private, context=None, status=200):
    context = {
        "statement": statement,
        "private": private,
        "urls": _cosign_urls(statement, private),
    } | (context or {})
    if private and template == "statements/cosign_form.html":
        # Partners read the draft next to the form.
        context = statement_context(statement) | context
    return render(request, template, context, status=status)


@never_cache
def cosign(request, slug: str | None = None, key: str | None = None):
    statement = _cosign_statement(slug, key)
    private = key is not None
    if private and statement.status == Statement.Status.PUBLISHED:
        return redirect("cosign", statement.slug)
    if not statement.cosign_is_open():
        return _cosign_page(
            request, "statements/cosign_closed.html", statement, private=private, status=410
        )
    form = CosignForm(
        request.POST or None, request.FILES or None, individuals=statement.individuals_may_sign()
    )
    already = None
    if request.method == "POST":
        if rate_limited(request, "cosign", request.POST.get("signer_email", "")):
            return render(request, "429.html", {"statement": statement}, status=429)
        if form.is_valid():
            if form.is_spam():
                logger.info("Co-sign honeypot filled on %s; nothing saved", statement.slug)
                return redirect(_cosign_urls(statement, private)["sent"])
            try:
                cosigning.signature_submit(
                    statement=statement,
                    cosign=form.cosign(),
                    consent_text=form.consent_text(),
                    language=get_language(),
                )
            except cosigning.AlreadySigned as error:
                if error.signature.is_individual():
                    # Whether an address signed is nobody else's business: the answer is
                    # the one a first signature gets, and the email goes to the address.
                    cosigning.signature_confirmation_resend(
                        statement=statement, email=form.cleaned_data["signer_email"]
                    )
                    return redirect(_cosign_urls(statement, private)["sent"])
                already = error.signature
                form.add_error(
                    "organization_name",
                    gettext("%(organization)s has already signed this statement.")
                    % {"organization": already.organization_label()},
                )
            else:
                return redirect(_cosign_urls(statement, private)["sent"])
    context = {
        "form": form,
        "already": already,
        "resend_form": ResendForm(initial={"email": request.POST.get("signer_email", "")}),
    }
    return _cosign_page(
        request, "statements/cosign_form.html", statement, private=private, context=context
    )


def cosign_sent(request, slug: str | None = None, key: str | None = None):
    statement = _cosign_statement(slug, key)
    return _cosign_page(request, "statements/cosign_sent.html", statement, private=key is not None)


@never_cache
def cosign_resend(request, slug: str | None = None, key: str | None = None):
    statement = _cosign_statement(slug, key)
    form = ResendForm(request.POST or None)
    sent = False
    if request.method == "POST":
        if rate_limited(request, "resend", request.POST.get("email", "")):
            return render(request, "429.html", {"statement": statement}, status=429)
        if form.is_valid():
            cosigning.signature_confirmation_resend(
                statement=statement, email=form.cleaned_data["email"]
            )
            sent = True
    return _cosign_page(
        request,
        "statements/cosign_resend.html",
        statement,
        private=key is not None,
        context={"form": form, "sent": sent},
    )


# An unknown link is not found, an expired or replaced one is gone; a used one shows where
# things stand; a confirmation that finds its organization signed by someone else conflicts.
TOKEN_PROBLEM_STATUS = {"unknown": 404, "expired": 410, "revoked": 410, "already_signed": 409}


def _signature_link(request, token: str, purpose: str, act):
    """The page behind an emailed link: a GET shows a button, only the POST acts."""
    if request.method == "POST":
        result = act(token=token)
        if result.acted:
            return redirect(request.path)
    else:
        result = cosigning.signature_token_check(token=token, purpose=purpose)
    context = {"result": result, "signature": result.signature, "purpose": purpose}
    status = TOKEN_PROBLEM_STATUS.get(result.problem, 200)
    return render(request, "statements/signature_link.html", context, status=status)


@noindex
@never_cache
def signature_confirm(request, token: str):
    return _signature_link(
        request, token, SignatureToken.Purpose.CONFIRM, cosigning.signature_confirm
    )


@noindex
@never_cache
def signature_withdraw(request, token: str):
    return _signature_link(
        request, token, SignatureToken.Purpose.WITHDRAW, cosigning.signature_withdraw
    )


# Sign-off: a signatory's contact reads the frozen version and answers.
SIGNOFF_PROBLEM_STATUS = {"unknown": 404, "expired": 410, "revoked": 410, "published": 410}


@noindex
@never_cache
def signoff_link(request, token: str):
    """The page behind a sign-off link: a GET shows the text and the form; only a POST answers."""
    form = SignoffAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        link = signoff.signoff_check(token=token)
        if form.is_valid() and not link.problem:
            link = signoff.signoff_answer(
                token=token,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
            if link.answered_now:
                return redirect(request.path)
        if link.problem == "answered":
            status = 409  # a second answer: refused, the first one shown
    elif request.method == "GET":
        link = signoff.signoff_view(token=token)
    else:
        link = signoff.signoff_check(token=token)
    status = SIGNOFF_PROBLEM_STATUS.get(link.problem, status)
    context = {"link": link, "form": form}
    if link.request is not None:
        context |= _signoff_text(request, link.request)
    return render(request, "statements/signoff.html", context, status=status)


def _signoff_text(request, signoff_request) -> dict:
    """The version in the language asked for (?language=), else the contact's, else the
    original's; with every language the version holds, which the approval covers."""
    version = signoff_request.version
    original = signoff_request.statement
    languages = version_languages(version.content, default=original.language)
    wanted = request.GET.get("language") or signoff_request.contact.language
    language, text = version_text(version.content, wanted)
    language = language or original.language
    # The statement in that language, for what is not frozen: kind, dateline and date.
    statement = next((s for s in original.release() if s.language == language), original)
    return {
        "statement": statement,
        "version": version,
        "content": version.content,
        "text": text,
        "text_language": language,
        "text_direction": direction(language),
        # Its labels ("Our demands") in its language, where the interface speaks it.
        "text_interface_language": interface_language(language),
        "languages": [(code, dict(LANGUAGES).get(code, code)) for code in languages],
        "body_html": mark_safe(render_markdown(text.get("body", ""))),
        "closing_html": mark_safe(render_markdown(text.get("closing", ""))),
    }
