from django.urls import path

from chempark.emergency import views

app_name = "emergency"
urlpatterns = [
    path("simulation/", views.simulation_page, name="simulation"),
    path("qra/", views.qra_list, name="qra-list"),
    path("qra/<id:pk>/", views.qra_detail, name="qra-detail"),
    path("qra/<id:pk>/report.pdf", views.qra_report, name="qra-report"),
]
