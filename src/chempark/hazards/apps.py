from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "chempark.hazards"
    label = "hazards"
