from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from geo import tiles_views
from geo.ogc import views as ogc_views
from territories.events import ical
from territories.events.feeds import NewEventsFeed
from territories.reports.feeds import NewReportsFeed, ReportUpdatesFeed

urlpatterns = [
    path("api/", include("geo.api.urls")),
    path("api/", include("territories.reports.api.urls")),
    path("api/", include("territories.boundaries.api.urls")),
    path("api/", include("territories.planning.api.urls")),
    path("api/", include("territories.accounts.api.urls")),
    path("api/", include("territories.centres.api.urls")),
    path("api/", include("territories.events.api.urls")),
    path("api/", include("territories.contests.api.urls")),
    path("api/", include("territories.forum.api.urls")),
    path("api/", include("territories.indicators.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's starting script as a file of its own
    # (/api/docs/?script=): the Content-Security-Policy refuses inline scripts.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="geo/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("tiles/<str:layer>.json", tiles_views.tilejson, name="tilejson"),
    path(
        "tiles/<str:layer>/<str:z>/<str:x>/<str:y>.mvt",
        tiles_views.tile,
        name="tile",
    ),
    # OGC API – Features over the layer catalogue (geo/ogc/): no DRF, no schema here.
    path("ogc/", include("geo.ogc.urls")),
    # The landing page without the slash too: QGIS (3.22) asks for the URL as typed
    # in its dialog and does not follow a redirect (docs/qgis.md).
    path("ogc", ogc_views.landing, name="ogc-landing-bare"),
    path("open311/v2/", include("territories.reports.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("territories.accounts.pages.urls")),
    path("workspace/", include("territories.reports.workspace.urls")),
    path("feeds/reports.atom", NewReportsFeed(), name="feed-reports"),
    path("feeds/reports/<int:pk>.atom", ReportUpdatesFeed(), name="feed-report"),
    path("feeds/events.atom", NewEventsFeed(), name="feed-events"),
    path("events.ics", ical.events_ics, name="events-ics"),
    path("events/<int:pk>.ics", ical.event_ics, name="event-ics"),
    path("", include("territories.boundaries.pages.urls")),
    path("", include("territories.planning.pages.urls")),
    path("", include("territories.centres.pages.urls")),
    path("", include("territories.events.pages.urls")),
    path("", include("territories.contests.pages.urls")),
    path("", include("territories.forum.pages.urls")),
    path("", include("territories.indicators.pages.urls")),
    path("", include("territories.reports.pages.urls")),
    path("", include("frontend.urls")),
]

# Errors under /api/ and /open311/ answer in JSON, pages in the site's frame.
handler404 = "geo.error_pages.page_not_found"
handler500 = "geo.error_pages.server_error"
