from collections.abc import Callable

from django.apps import AppConfig


def start_video_gateway() -> Callable[[], None]:
    """``chempark demo``'s video gateway: a ``chempark video-gateway`` process, as in production (the
    web process runs no ffmpeg)."""
    from chempark.core.demo import command_process

    return command_process("video-gateway")


class VideoConfig(AppConfig):
    """Live video: the RTSP → HLS gateway and player, camera view cones on the one-map, and the
    cameras that see an alarm's place."""

    name = "chempark.video"
    label = "video"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from chempark.accounts.audit_display import register_object_type
        from chempark.core import demo, map_layers

        # a view import records counts
        register_object_type(
            "camera_view",
            "video.CameraView",
            keys={"views": _("视域数"), "towers": _("高空瞭望"), "source": _("来源")},
            values={"source": {"demo": _("演示数据")}},
        )
        from chempark.core.navigation import NavItem, register
        from chempark.video.demo import load_demo_video
        from chempark.video.map import CAMERA_LAYER

        demo.register_loader("video", 450, load_demo_video)
        demo.register_service("video-gateway", start_video_gateway)
        map_layers.register(CAMERA_LAYER)
        register(NavItem(_("监测预警"), _("视频监控"), "video:camera-list", "monitoring.read", order=330))
