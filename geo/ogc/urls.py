from django.urls import path

from . import views

urlpatterns = [
    path("", views.landing, name="ogc-landing"),
    path("conformance", views.conformance, name="ogc-conformance"),
    path("api", views.service_desc, name="ogc-api"),
    path("collections", views.collections, name="ogc-collections"),
    path("collections/<slug:name>", views.collection, name="ogc-collection"),
    path("collections/<slug:name>/queryables", views.queryables, name="ogc-queryables"),
    path("collections/<slug:name>/items", views.items, name="ogc-items"),
    path("collections/<slug:name>/items/<int:pk>", views.item, name="ogc-item"),
]
