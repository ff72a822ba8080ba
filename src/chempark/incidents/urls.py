from django.urls import path

from chempark.incidents import ledger_views, views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_new, name="new"),
    path("from-alarm/<id:alarm_id>/", views.incident_from_alarm, name="from-alarm"),
    path("from-simulation/<id:run_id>/", views.incident_from_simulation, name="from-simulation"),
    path("<id:pk>/", views.incident_detail, name="detail"),
    path("<id:pk>/report.docx", views.incident_report, {"fmt": "docx"}, name="report-docx"),
    path("<id:pk>/report.pdf", views.incident_report, {"fmt": "pdf"}, name="report-pdf"),
    path("<id:pk>/attachments/<id:attachment_id>/", views.attachment_download, name="attachment"),
    path("<id:pk>/warnings/<str:action>/", views.incident_warning_action, name="warning-action"),
    path("<id:pk>/<str:action>/", views.incident_action, name="action"),
    path("resources/", ledger_views.resource_list, name="resources"),
    path("resources/new/", ledger_views.resource_edit, name="resource-new"),
    path("resources/export.xlsx", ledger_views.resource_export, name="resource-export"),
    path("resources/import/", ledger_views.resource_import, name="resource-import"),
    path("resources/<id:pk>/", ledger_views.resource_edit, name="resource"),
    path("resources/<id:pk>/delete/", ledger_views.resource_delete, name="resource-delete"),
    path("reminders/", ledger_views.reminders, name="reminders"),
    path("roads/", ledger_views.roads, name="roads"),
]
