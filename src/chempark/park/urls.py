from django.urls import path

from chempark.park import import_views, views
from chempark.park.registry import SPECS

app_name = "park"
urlpatterns = [
    path("import/", import_views.import_page, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import-template"),
    path("import/<id:job_id>/", import_views.import_status, name="import-status"),
]
for _key in SPECS:
    urlpatterns += [
        path(f"{_key}/", views.entity_list, {"kind": _key}, name=f"{_key}-list"),
        path(f"{_key}/export.xlsx", views.entity_export, {"kind": _key}, name=f"{_key}-export"),
        path(f"{_key}/new/", views.entity_create, {"kind": _key}, name=f"{_key}-create"),
        path(f"{_key}/<id:pk>/", views.entity_detail, {"kind": _key}, name=f"{_key}-detail"),
        path(f"{_key}/<id:pk>/edit/", views.entity_edit, {"kind": _key}, name=f"{_key}-edit"),
        path(f"{_key}/<id:pk>/delete/", views.entity_delete, {"kind": _key}, name=f"{_key}-delete"),
    ]
