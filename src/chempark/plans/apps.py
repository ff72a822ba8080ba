from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "chempark.plans"
    label = "plans"
