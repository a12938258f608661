from django.urls import path, re_path
from django.views.generic import RedirectView

from . import views

app_name = "open311"
FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path(
        "",
        RedirectView.as_view(pattern_name="open311:discovery", permanent=False),
        {"fmt": "xml"},
        name="root",
    ),
    re_path(r"^discovery" + FORMAT, views.DiscoveryView.as_view(), name="discovery"),
    re_path(r"^services" + FORMAT, views.ServiceListView.as_view(), name="services"),
    re_path(
        r"^services/(?P<code>[-\w]+)" + FORMAT,
        views.ServiceDefinitionView.as_view(),
        name="service",
    ),
    re_path(r"^requests" + FORMAT, views.RequestsView.as_view(), name="requests"),
    re_path(
        r"^requests/(?P<pk>[0-9]{1,18})" + FORMAT,
        views.RequestView.as_view(),
        name="request",
    ),
    re_path(r"^(?P<path>.*)$", views.NotFoundView.as_view(), name="not-found"),
]
