from django.urls import path

from chempark.monitoring import mqtt_pages, views

app_name = "monitoring"
urlpatterns = [
    path("alarms/", views.alarm_list, name="alarm-list"),
    path("alarms/acknowledge/", views.alarm_acknowledge_many, name="alarm-acknowledge-many"),
    path("alarms/<id:pk>/", views.alarm_detail, name="alarm-detail"),
    path("alarms/<id:pk>/snapshot/", views.alarm_snapshot, name="alarm-snapshot"),
    path("alarms/<id:pk>/snapshot/thumb/", views.alarm_snapshot, {"size": "thumb"}, name="alarm-snapshot-thumb"),
    path("alarms/<id:pk>/acknowledge/", views.alarm_acknowledge, name="alarm-acknowledge"),
    path("alarms/<id:pk>/handling/", views.alarm_handling, name="alarm-handling"),
    path("points/", views.point_list, name="point-list"),
    path("points/<id:pk>/", views.point_detail, name="point-detail"),
    path("points/<id:pk>/trend.json", views.point_trend, name="point-trend"),
    path("indicators/", views.indicator_page, name="indicators"),
    path("live/", views.live_stream, name="live"),
    path("broker-accounts/", mqtt_pages.mqtt_account_list, name="mqtt-accounts"),
    path("broker-accounts/issued/", mqtt_pages.mqtt_account_issued, name="mqtt-issued"),
    path("broker-accounts/<id:pk>/rotate/", mqtt_pages.mqtt_account_rotate, name="mqtt-rotate"),
    path("broker-accounts/<id:pk>/revoke/", mqtt_pages.mqtt_account_revoke, name="mqtt-revoke"),
]
