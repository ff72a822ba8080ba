from django.urls import path

from chempark.tracking import views

app_name = "tracking"
urlpatterns = [
    path("", views.vehicle_list, name="vehicles"),
    path("replay/", views.replay, name="replay"),
    path("violations/", views.violation_list, name="violations"),
    path("violations/<id:pk>/", views.violation_detail, name="violation"),
    path("fences/", views.fence_list, name="fences"),
    path("fences/new/", views.fence_edit, name="fence-new"),
    path("fences/<id:pk>/", views.fence_edit, name="fence"),
    path("fences/<id:pk>/delete/", views.fence_delete, name="fence-delete"),
    path("report/", views.report, name="report"),
]
