from django.urls import path

from chempark.hazards import views

app_name = "hazards"
urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("<id:pk>/", views.hazard_detail, name="detail"),
    path("<id:pk>/<str:action>/", views.hazard_action, name="action"),
    path("unit/<id:unit_id>/", views.unit_identification, name="unit"),
    path("unit/<id:unit_id>/reassess/", views.unit_reassess, name="unit-reassess"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/export.xlsx", views.supervision_export, name="supervision-export"),
    path("commitments/", views.commitments, name="commitments"),
    path("gate/<str:uscc>/", views.gate, name="gate"),
]
