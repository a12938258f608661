"""The support centre's workspace: moderation queue, a report's card, meeting agenda.
Staff only; everyone else is sent to the site's sign-in page (LOGIN_URL)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import QueryError
from geo.paging import keyset_page
from geo.requester import Requester

from ..links import photo_path, report_path
from ..models import ProblemReport, ResponseTemplate
from ..services import WORKFLOW
from ..services.bulk import change_status_bulk
from . import queries
from .forms import AgendaForm, BulkStatusForm, QueueFilterForm, StatusChangeForm

Status = ProblemReport.Status
PAGE_SIZE = 50
staff_only = staff_member_required(login_url=settings.LOGIN_URL)


@staff_only
def queue(request):
    if not request.GET:
        # The landing page is the moderation queue; an explicit URL keeps every link
        # built from the query string (pages, tabs) on the same list.
        return redirect(f"{request.path}?status={Status.MODERATION}")
    filters = QueueFilterForm(request.GET)
    filters.is_valid()  # invalid values are shown next to their field and ignored
    bulk = BulkStatusForm(request.POST or None)
    refusals = []
    if request.method == "POST" and bulk.is_valid():
        refusals = _apply_bulk(request, bulk)
        if not refusals:
            return redirect(request.get_full_path())
    return render(
        request,
        "workspace/queue.html",
        _queue_context(request, filters, bulk, refusals),
    )


def _apply_bulk(request, form):
    data = form.cleaned_data
    updates, refusals = change_status_bulk(
        [report.pk for report in data["reports"]],
        data["status"],
        by=Requester.of(request),
        comment=data["comment"],
        duplicate_of=data["duplicate_of"],
    )
    if updates:
        messages.success(
            request, _("Статус изменён; сообщений: %(n)d.") % {"n": len(updates)}
        )
    return refusals


def _queue_context(request, filters, bulk, refusals):
    params = filters.query()
    reports = queries.narrowed(queries.report_rows(), params, filters)
    without_status = {k: v for k, v in params.items() if k != "status"}
    return {
        "filters": filters,
        "page": _page(request, reports),
        "total": queries.total(reports, params),
        "status_counts": queries.counts_by_status(
            queries.narrowed(ProblemReport.objects.all(), without_status, filters),
            without_status,
        ),
        "current_status": filters.cleaned_data.get("status", ""),
        "bulk": bulk,
        "refusals": refusals,
        "selected": set(request.POST.getlist("reports")),
        "templates": ResponseTemplate.objects.all(),
        "territory": filters.cleaned_data.get("territory"),
    }


def _page(request, reports):
    """The page of the queue a cursor (or an old page number) points to; a bad one
    is said and the first page shown (docs/architecture.md, "Long lists: keyset
    pages and counts")."""
    try:
        return keyset_page(reports, request.GET, PAGE_SIZE)
    except QueryError as error:
        messages.error(request, f"{error.field}: {error}")
        return keyset_page(reports, {}, PAGE_SIZE)


@staff_only
def report_card(request, pk):
    report = get_object_or_404(
        queries.report_rows().select_related("user", "api_key", "duplicate_of"), pk=pk
    )
    form = StatusChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        updates, refusals = change_status_bulk(
            [report.pk],
            data["status"],
            by=Requester.of(request),
            comment=data["comment"],
            duplicate_of=data["duplicate_of"],
        )
        for refusal in refusals:
            field = refusal.field if refusal.field in form.fields else None
            form.add_error(field, refusal.message)
        if updates:
            messages.success(request, _("Статус сохранён."))
            return redirect("workspace:report", pk=report.pk)
    return render(
        request, "workspace/report.html", _card_context(report, form, request)
    )


def _card_context(report, form, request):
    allowed = WORKFLOW[report.status]
    return {
        "report": report,
        "form": form,
        "status_choices": [(c, label) for c, label in Status.choices if c in allowed],
        "chosen_status": request.POST.get("status", ""),
        "templates": ResponseTemplate.objects.all(),
        "updates": report.updates.select_related("author"),
        "photos": [photo_path(photo.pk) for photo in report.photos.all()],
        "answers": report.labelled_answers(),
        "duplicates": report.duplicates.only("pk", "status"),
        "follower_count": report.followers.count(),
        "place": queries.place_label(report),
        "public_url": report_path(report),
    }


@staff_only
def agenda(request):
    form = AgendaForm(request.GET or None)
    context = {"form": form, "today": timezone.localdate()}
    if form.is_valid():
        territory = form.cleaned_data["territory"]
        chosen, ignored = queries.agenda_reports(territory, form.cleaned_data["report"])
        context |= {
            "territory": territory,
            "candidates": queries.agenda_candidates(territory),
            "chosen": [(r, queries.place_label(r)) for r in chosen],
            "chosen_ids": {r.pk for r in chosen},
            "ignored": ignored,
            "meeting_date": form.cleaned_data["date"] or timezone.localdate(),
            "total_supports": sum(r.support_count for r in chosen),
        }
    return render(request, "workspace/agenda.html", context)
