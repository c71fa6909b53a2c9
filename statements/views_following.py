"""Following a statement: the form (reached from the statement's cached page), the
confirmation link, and the unsubscribe link of every update email."""

import logging

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.http import noindex
from statements.forms_following import FollowForm
from statements.models import FollowerToken, Statement
from statements.ratelimits import rate_limited
from statements.services import following

logger = logging.getLogger(__name__)


@never_cache
def statement_follow(request, slug: str):
    """The statement's page is cached and holds no CSRF token: it links here, and this
    page's own form posts with one."""
    statement = get_object_or_404(Statement.objects.published(), slug=slug)
    if request.method == "POST":
        form = FollowForm(request.POST)
        if rate_limited(request, "follow", request.POST.get("email", "")):
            return render(request, "429.html", {"statement": statement}, status=429)
        if form.is_valid():
            if form.is_spam():
                logger.info("Follow honeypot filled on %s; nothing saved", statement.slug)
            else:
                following.follower_request(
                    statement=statement,
                    email=form.cleaned_data["email"],
                    language=get_language(),
                    consent_text=form.consent_text(),
                )
            # The same answer whether the address follows already or not.
            return redirect("statement_follow_sent", statement.slug)
        status = 400
    else:
        form = FollowForm()
        status = 200
    context = {"statement": statement, "form": form}
    return render(request, "statements/follow_form.html", context, status=status)


def statement_follow_sent(request, slug: str):
    statement = get_object_or_404(Statement.objects.published(), slug=slug)
    return render(request, "statements/follow_sent.html", {"statement": statement})


LINK_PROBLEM_STATUS = {"unknown": 404, "expired": 410}


def _follower_page(request, token: str, purpose: str, act):
    """A GET shows a button; only the POST acts."""
    if request.method == "POST":
        result = act(token=token)
        if result.acted and purpose == FollowerToken.Purpose.CONFIRM:
            return redirect(request.path)
    else:
        result = following.follower_link_check(token=token, purpose=purpose)
    status = LINK_PROBLEM_STATUS.get(result.problem, 200)
    context = {"result": result, "follower": result.follower, "purpose": purpose}
    return render(request, "statements/follower_link.html", context, status=status)


@noindex
@never_cache
def follow_confirm(request, token: str):
    return _follower_page(request, token, FollowerToken.Purpose.CONFIRM, following.follower_confirm)


# A mail client's one-click unsubscribe (RFC 8058) posts without cookies or a token;
# the link's own token is what authorizes it.
@csrf_exempt
@noindex
@never_cache
def follow_unsubscribe(request, token: str):
    return _follower_page(
        request, token, FollowerToken.Purpose.UNSUBSCRIBE, following.follower_unsubscribe
    )
