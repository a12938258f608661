"""The dashboard's page and its CSV files (docs/domain.md, "Indicators"). Public:
the figures are services/dashboard.py's; the page arranges them, the script
(static/indicators/charts.js) draws them from the same answer."""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from geo.errors import QueryError
from territories.registry.models import Territory

from ..passport import SOURCE
from ..services import dashboard, params, tables


def _years():
    return range(params.FIRST_YEAR, _this_year() + 1)


def _this_year():
    return timezone.localdate().year


def _grid(answer):
    """Rows of the by-year table: each row's figures per year, its total, and the
    passport's figures kept in their own cells."""
    passport = {row["code"]: row for row in answer["passport"]}
    grid = []
    for row in answer["rows"]:
        code = row["code"]
        cells = [
            {"value": year[code], "link": year["links"].get(code)}
            for year in answer["by_year"]
        ]
        total = {
            "value": answer["totals"][code],
            "link": answer["totals"]["links"].get(code),
        }
        grid.append({**row, "cells": cells, "total": total, "passport": passport[code]})
    return grid


def _territory_rows(answer):
    return [
        {
            "territory": item["territory"],
            "cells": [
                {"value": item[row["code"]], "link": item["links"].get(row["code"])}
                for row in answer["rows"]
            ],
        }
        for item in answer["by_territory"]
    ]


def _chart_data(answer):
    """What the charts draw: figures only, labels from the page's language."""
    codes = [row["code"] for row in answer["rows"] if row["available"]]
    return {
        "years": [item["year"] for item in answer["by_year"]],
        "rows": [
            {
                "code": code,
                "name": next(r["name"] for r in answer["rows"] if r["code"] == code),
                "by_year": [item[code] for item in answer["by_year"]],
            }
            for code in codes
        ],
        "territories": [
            (item["territory"] or {}).get("name") or str(tables.OUTSIDE)
            for item in answer["by_territory"]
        ],
        "by_territory": {
            code: [item[code] for item in answer["by_territory"]] for code in codes
        },
        "reports_years": [item["year"] for item in answer["reports"]["by_year"]],
        "reports_by_year": {
            figure: [item[figure] for item in answer["reports"]["by_year"]]
            for figure in ("opened", "closed", "fixed")
        },
        "labels": {
            figure: str(tables.REPORT_HEADERS[figure])
            for figure in ("opened", "closed", "fixed")
        },
    }


def _csv_links(request):
    query = request.GET.urlencode()
    return {
        name: reverse("indicators-csv", args=[name]) + (f"?{query}" if query else "")
        for name in tables.TABLES
    }


@require_GET
def indicators_page(request):
    context = {
        "years": _years(),
        "territories": Territory.objects.exclude(status=Territory.Status.PROPOSED)
        .order_by("name")
        .values("pk", "name"),
        "chosen": request.GET,
        "passport_source": SOURCE,
    }
    try:
        chosen = params.parse(request.GET.dict())
    except QueryError as refused:
        context["refusal"] = refused
        return render(request, "indicators/page.html", context, status=400)
    answer = dashboard.dashboard(chosen)
    context.update(
        answer=answer,
        grid=_grid(answer),
        territory_rows=_territory_rows(answer),
        charts=_chart_data(answer),
        csv=_csv_links(request),
        api=reverse("indicators-api")
        + (f"?{request.GET.urlencode()}" if request.GET else ""),
    )
    return render(request, "indicators/page.html", context)


def _cell(value):
    """A CSV cell: empty for a missing figure (never 0), yes for a true flag."""
    if value is None or value is False:
        return ""
    if value is True:
        return _("да")
    return value


@require_GET
def indicators_csv(request, table):
    """One table as CSV, UTF-8 with a byte order mark (Excel reads it as UTF-8),
    the header in the request's language."""
    if table not in tables.TABLES:
        raise Http404(_("нет такой таблицы"))
    try:
        chosen = params.parse(request.GET.dict())
    except QueryError as refused:
        return HttpResponse(
            f"{refused.field}: {refused}\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    etag, last_modified = dashboard.version(chosen)
    modified = int(last_modified.timestamp()) if last_modified else None
    cached = get_conditional_response(request, etag=etag, last_modified=modified)
    if cached is not None:
        return cached
    header, rows = tables.table(dashboard.dashboard(chosen), table)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    response = HttpResponse(
        "\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="indicators-{table}.csv"'
    response["ETag"] = etag
    if modified:
        response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, no_cache=True)
    return response
