from django.apps import AppConfig


class EmergencyConfig(AppConfig):
    name = "chempark.emergency"
    label = "emergency"
