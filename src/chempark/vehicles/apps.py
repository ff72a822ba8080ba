from django.apps import AppConfig


class VehiclesConfig(AppConfig):
    """The closed park: hazmat vehicle registry, reservations, gates (卡口), dwell alarms, and the
    enterprises' personnel access control (门禁) with headcounts and evacuation rosters."""

    name = "chempark.vehicles"
    label = "vehicles"
    verbose_name = "车辆与门禁"
