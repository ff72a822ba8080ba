from django.urls import path

from chempark.supervision import (
    inspection_views,
    licence_views,
    operation_views,
    project_views,
    risk_views,
    views,
)

app_name = "supervision"
urlpatterns = [
    path("dangers/", views.danger_list, name="dangers"),
    path("dangers/new/", views.danger_new, name="danger-new"),
    path("dangers/<id:pk>/", views.danger_detail, name="danger"),
    path("dangers/<id:pk>/photo/<id:evidence_id>/", views.evidence_image, name="evidence"),
    path("dangers/<id:pk>/<str:action>/", views.danger_action, name="danger-action"),
    path("reminders/", views.reminders, name="reminders"),
    path("rates/", views.rates, name="rates"),
    path("campaigns/", inspection_views.campaigns, name="campaigns"),
    path("draws/new/", inspection_views.draw_new, name="draw-new"),
    path("draws/<id:pk>/", inspection_views.draw_detail, name="draw"),
    path("public/draws/", inspection_views.public_draws, name="public-draws"),
    path("inspections/", inspection_views.inspections, name="inspections"),
    path("inspections/new/", inspection_views.inspection_new, name="inspection-new"),
    path("inspections/<id:pk>/", inspection_views.inspection_detail, name="inspection"),
    path("cases/", inspection_views.cases, name="cases"),
    path("cases/<id:pk>/", inspection_views.case_detail, name="case"),
    path("cases/<id:pk>/document/<str:kind>.<str:fmt>", inspection_views.case_document, name="case-document"),
    path("cases/<id:pk>/<str:action>/", inspection_views.case_action, name="case-action"),
    path("licences/", licence_views.licences, name="licences"),
    path("operations/", operation_views.operations, name="operations"),
    path("risk-points/", risk_views.risk_points, name="risk-points"),
    path("projects/", project_views.projects, name="projects"),
    path("projects/<id:pk>/<str:action>/", project_views.project_decide, name="project-decide"),
    path("operations/<id:pk>/spot-check/", operation_views.spot_check, name="spot-check"),
]
