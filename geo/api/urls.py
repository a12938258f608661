from django.urls import path

from . import views

urlpatterns = [
    path("layers/", views.LayerCatalogueView.as_view(), name="layer-catalogue"),
    path(
        "layers/<slug:name>/", views.LayerFeaturesView.as_view(), name="layer-features"
    ),
    path(
        "layers/<slug:name>/<int:pk>/",
        views.LayerFeatureView.as_view(),
        name="layer-feature",
    ),
]
