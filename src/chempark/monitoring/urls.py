from django.urls import path

from chempark.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("alarms/", views.alarm_list, name="alarm-list"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm-detail"),
    path("alarms/<int:pk>/acknowledge/", views.alarm_acknowledge, name="alarm-acknowledge"),
    path("alarms/<int:pk>/handling/", views.alarm_handling, name="alarm-handling"),
    path("points/", views.point_list, name="point-list"),
    path("points/<int:pk>/", views.point_detail, name="point-detail"),
    path("points/<int:pk>/trend.json", views.point_trend, name="point-trend"),
    path("indicators/", views.indicator_page, name="indicators"),
    path("live/", views.live_stream, name="live"),
]
