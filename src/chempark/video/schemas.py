"""Input of the video module's writes, shared by the API and the view-editing page so both accept
exactly the same values (``core.page_input``)."""

from __future__ import annotations

from ninja import Field, Schema

from chempark.video.models import CameraKind


class CameraViewIn(Schema):
    kind: CameraKind = Field(description="fixed = 固定摄像机, tower = 高空瞭望（云台）")
    heading_deg: float | None = Field(ge=0.0, le=360.0, description="degrees clockwise from north; null = all round")
    fov_deg: float = Field(ge=1.0, le=360.0, description="horizontal field of view, degrees")
    range_m: float = Field(gt=0.0, le=20_000.0, description="how far the camera sees, metres")


class CameraPlaceViewIn(CameraViewIn):
    """The page's form: the view, an empty heading meaning all round, and where the camera stands."""

    heading_deg: float | None = Field(default=None, ge=0.0, le=360.0)
    lon: float = Field(ge=-180.0, le=180.0)
    lat: float = Field(ge=-90.0, le=90.0)
