from django.urls import path

from chempark.command import views

app_name = "command"
urlpatterns = [
    path("screen/", views.screen, name="screen"),
    path("duty/", views.duty, name="duty"),
    path("duty/report.docx", views.duty_report_download, name="duty-report"),
    path("handovers/", views.handover_list, name="handover-list"),
    path("handovers/<id:pk>/", views.handover_detail, name="handover-detail"),
]
