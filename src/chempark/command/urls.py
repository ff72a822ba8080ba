from django.urls import path

from chempark.command import views

app_name = "command"
urlpatterns = [
    path("screen/", views.screen, name="screen"),
    path("overview/", views.command_overview, name="overview"),
    path("workbench/", views.enterprise_workbench, name="workbench"),
    path("duty/", views.duty, name="duty"),
    path("duty/report.docx", views.duty_report_download, name="duty-report"),
    path("handovers/", views.handover_list, name="handover-list"),
    path("handovers/<id:pk>/", views.handover_detail, name="handover-detail"),
]
