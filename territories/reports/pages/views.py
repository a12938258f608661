"""Public pages of residents' reports. The page shows what the API shows; the
reporter's and the chair's actions are plain forms (CSRF-checked), the support
button also works through the API from report.js."""

import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from geo import requester as clients
from geo.errors import Refused
from geo.requester import Requester
from territories.accounts import roles

from .. import services as service
from ..models import Follower, ProblemReport, ReportPhoto

Status = ProblemReport.Status
SESSION_TOKENS = "report_tokens"


def public_reports():
    return ProblemReport.objects.public().for_display()


@require_GET
def report_page(request, pk):
    report = get_object_or_404(public_reports().with_timeline(), pk=pk)
    if "token" in request.GET:
        return _remember_token(request, report)
    by = _requester(request, pk)
    role = service.role_of(report, by)
    published = report.is_published
    context = {
        "report": report,
        "published": published,
        "photos": report.photos.all() if published else [],
        # Text, not floats: the Russian locale would print a decimal comma.
        "lat": f"{report.point.y:.6f}",
        "lon": f"{report.point.x:.6f}",
        "answers": report.labelled_answers() if published else [],
        "is_reporter": service.is_reporter(report, by),
        "can_reopen": report.status == Status.FIXED and role is not None,
        "can_support": report.status in Status.active(),
        "duplicate_of": report.shown_original(),
    }
    response = render(request, "reports/report_detail.html", context)
    cookie, new = clients.voter_cookie(request)
    return clients.remember_voter(response, cookie) if new else response


def _remember_token(request, report):
    """The secret link: kept in the session, then off the address bar (and so out of
    browser history, shared screenshots and Referer headers)."""
    token = request.GET["token"]
    if report.manage_token_matches(token):
        tokens = request.session.get(SESSION_TOKENS, {})
        tokens[str(report.pk)] = token
        request.session[SESSION_TOKENS] = tokens
        messages.success(request, _("Вы вошли как автор этого сообщения."))
    else:
        messages.error(request, _("Ссылка заявителя недействительна."))
    return redirect("report-page", pk=report.pk)


def _session_token(request, pk):
    return request.session.get(SESSION_TOKENS, {}).get(str(pk), "")


def _requester(request, pk):
    """The one asking, with the secret link this browser opened for report `pk`."""
    return Requester.of(request, token=_session_token(request, pk))


def _act(request, pk, action):
    """Run a page action on a public report; the outcome becomes a flash message."""
    report = get_object_or_404(public_reports(), pk=pk)
    try:
        text = action(report)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, text)
    return redirect("report-page", pk=pk)


@require_POST
def reopen(request, pk):
    def act(report):
        comment = request.POST.get("comment", "")
        service.reopen(report, by=_requester(request, pk), comment=comment)
        return _("Сообщение снова открыто.")

    return _act(request, pk, act)


@require_POST
def forget_me(request, pk):
    def act(report):
        service.remove_personal_data(report, by=_requester(request, pk))
        return _("Ваше имя и контакты удалены из сообщения.")

    return _act(request, pk, act)


@require_POST
def follow(request, pk):
    def act(report):
        email = request.POST.get("email", "")
        service.follow(report, email, by=Requester.of(request))
        return _("Готово: подтвердите подписку по ссылке из письма.")

    return _act(request, pk, act)


@require_POST
def support(request, pk):
    cookie, new = clients.voter_cookie(request)

    def act(report):
        user = request.user if request.user.is_authenticated else None
        voter = clients.voter_of(request, cookie)
        address = clients.support_address(request)
        if service.add_support(report, voter, user, address=address):
            return _("Спасибо, ваш голос учтён.")
        return _("Ваш голос уже был учтён.")

    response = _act(request, pk, act)
    return clients.remember_voter(response, cookie) if new else response


@require_GET
def photo(request, pk):
    """A photo of a published report (staff see them during moderation too)."""
    row = get_object_or_404(ReportPhoto.objects.select_related("report"), pk=pk)
    status = row.report.status
    if status == Status.HIDDEN or (
        status == Status.MODERATION and not roles.is_specialist(request.user)
    ):
        raise Http404
    try:
        handle = row.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = mimetypes.guess_type(row.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=kind)
    # A photo under moderation is for staff eyes only: no shared cache may keep it.
    cache = (
        "private, no-store" if status == Status.MODERATION else "public, max-age=3600"
    )
    response["Cache-Control"] = cache
    return response


@require_GET
def unsubscribe(request, token):
    removed, _rows = Follower.objects.filter(unsubscribe_token=token).delete()
    done = _("Вы отписались: письма об этом сообщении больше не придут.")
    return _subscription_page(request, done if removed else None)


@require_GET
def confirm_follow(request, token):
    confirmed = service.confirm_follower(token)
    done = _("Подписка подтверждена: изменения сообщения придут на этот адрес.")
    return _subscription_page(request, done if confirmed else None)


def _subscription_page(request, done):
    """What a link from a follower's e-mail did; `done` None: no such subscription."""
    return render(
        request,
        "reports/subscription.html",
        {"done": done},
        status=200 if done else 404,
    )
