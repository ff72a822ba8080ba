from django.urls import path

from chempark.vehicles import views
from chempark.vehicles.registry import ENTITIES

app_name = "vehicles"
urlpatterns = [
    path("reservations/", views.reservation_list, name="reservation-list"),
    path("reservations/new/", views.reservation_create, name="reservation-create"),
    path("reservations/<id:pk>/", views.reservation_detail, name="reservation-detail"),
    path("reservations/<id:pk>/transition/", views.reservation_transition, name="reservation-transition"),
    path("in-park/", views.in_park, name="in-park"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import-template"),
    path("headcounts/", views.headcount_page, name="headcounts"),
    path("roster/<id:pk>/", views.roster_page, name="roster"),
    path("roster/<id:pk>/export.xlsx", views.roster_export, name="roster-export"),
]
for _key in ENTITIES:
    urlpatterns += [
        path(f"{_key}/", views.entity_list, {"kind": _key}, name=f"{_key}-list"),
        path(f"{_key}/export.xlsx", views.entity_export, {"kind": _key}, name=f"{_key}-export"),
        path(f"{_key}/new/", views.entity_create, {"kind": _key}, name=f"{_key}-create"),
        path(f"{_key}/<id:pk>/", views.entity_detail, {"kind": _key}, name=f"{_key}-detail"),
        path(f"{_key}/<id:pk>/edit/", views.entity_edit, {"kind": _key}, name=f"{_key}-edit"),
        path(f"{_key}/<id:pk>/delete/", views.entity_delete, {"kind": _key}, name=f"{_key}-delete"),
    ]
