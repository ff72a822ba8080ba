from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "chempark.monitoring"
    label = "monitoring"
