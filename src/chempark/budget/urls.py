from django.urls import path

from chempark.budget import views

app_name = "budget"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("import/", views.import_page, name="import"),
    path("template.xlsx", views.template_xlsx, name="template"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/<id:pk>/", views.activity_detail, name="activity"),
    path("projects/<id:pk>/", views.project_detail, name="detail"),
    path("projects/<id:pk>/spending/", views.spending_create, name="spending"),
    path("projects/<id:pk>/weights/", views.weights_edit, name="weights"),
    path("spending/<id:pk>/reverse/", views.spending_reverse, name="reverse"),
    path("projects/<id:pk>/report.docx", views.project_report_docx, name="report-docx"),
    path("projects/<id:pk>/report.xlsx", views.project_report_xlsx, name="report-xlsx"),
    path("indicators/<id:pk>/", views.indicator_edit, name="indicator"),
    path("evidence/<id:pk>/", views.evidence_download, name="evidence"),
    path("<int:year>/summary.xlsx", views.summary_xlsx, name="summary-xlsx"),
]
