"""The one-map layer of enterprises with open hidden dangers: red (``--level-1``) where a major one is
open, yellow (``--level-3``) where only general ones are; the popup counts them and the overdue."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import Point, shape

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, feature, point, popup
from chempark.park.selectors import registry_visible
from chempark.supervision import selectors, workflow
from chempark.supervision.models import DangerGrade, RiskLevel


def _features(actor: Actor) -> list[Feature]:
    rows = selectors.dangers_visible(actor).filter(status__in=workflow.OPEN_DANGER)
    overdue_ids = set(selectors.overdue_dangers(rows).values_list("id", flat=True))
    by_enterprise = (
        rows.values("enterprise_id", "enterprise__name", "enterprise__lon", "enterprise__lat")
        .annotate(total=Count("id"), major=Count("id", filter=Q(grade=DangerGrade.MAJOR)))
        .order_by("enterprise_id")
    )
    overdue_per: dict[int, int] = {}
    for enterprise_id in rows.filter(id__in=overdue_ids).values_list("enterprise_id", flat=True):
        overdue_per[enterprise_id] = overdue_per.get(enterprise_id, 0) + 1
    result = []
    for row in by_enterprise:
        pk = row["enterprise_id"]
        result.append(
            feature(
                point(row["enterprise__lon"], row["enterprise__lat"]),
                id=pk,
                name=row["enterprise__name"],
                fillColor="--level-1" if row["major"] else "--level-3",
                popup_html=popup(
                    row["enterprise__name"],
                    _("未销号隐患 %(total)d 项（重大 %(major)d 项）") % {"total": row["total"], "major": row["major"]},
                    _("逾期 %(n)d 项") % {"n": overdue_per.get(pk, 0)},
                    url=f"{reverse('supervision:dangers')}?enterprise={pk}",
                ),
            )
        )
    return result


OPEN_DANGER_LAYER = MapLayer(
    "hidden_dangers",
    gettext_lazy("未销号隐患"),
    47,
    _features,
    capability="danger.read",
    style={"point": "circle", "radius": 7, "color": "--map-hazard", "weight": 1, "fillOpacity": 0.9},
    visible=False,
    legend=(("--level-1", gettext_lazy("有重大隐患")), ("--level-3", gettext_lazy("仅一般隐患"))),
)


def _operations(actor: Actor) -> list[Feature]:
    result = []
    for row in selectors.ongoing_operations(actor):
        enterprise = row.enterprise
        hot = row.kind == "hot_work"
        result.append(
            feature(
                point(enterprise.lon, enterprise.lat),
                id=row.pk,
                name=str(row),
                fillColor="--level-2" if hot else "--level-4",
                popup_html=popup(
                    f"{row.get_kind_display()} · {row.get_grade_display()}",
                    f"{enterprise.name} · {row.place}",
                    f"{timezone.localtime(row.starts_at):%m-%d %H:%M} ~ {timezone.localtime(row.ends_at):%m-%d %H:%M}",
                    _("作业票 %(number)s · 监护人 %(guardian)s")
                    % {"number": row.permit_number, "guardian": row.guardian},
                    url=reverse("supervision:operations"),
                ),
            )
        )
    return result


ONGOING_OPERATION_LAYER = MapLayer(
    "special_operations",
    gettext_lazy("进行中的特殊作业"),
    48,
    _operations,
    capability="operation.read",
    style={"point": "circle", "radius": 6, "color": "--map-hazard", "weight": 1, "fillOpacity": 0.9},
    legend=(("--level-2", gettext_lazy("动火作业")), ("--level-4", gettext_lazy("其他特殊作业"))),
)


def _risk_map(actor: Actor) -> list[Feature]:
    """Areas coloured by the highest risk of the enterprises inside them, then the enterprises."""
    levels = selectors.enterprise_risk_levels(actor)
    enterprises = list(registry_visible(actor, "enterprise").filter(pk__in=levels).order_by("id"))
    labels = dict(RiskLevel.choices)
    result = []
    for area in registry_visible(actor, "area").order_by("id"):
        outline = shape(area.geometry)
        inside = [levels[e.pk] for e in enterprises if outline.contains(Point(e.lon, e.lat))]
        if inside:
            result.append(
                feature(
                    area.geometry,
                    id=area.pk,
                    name=area.name,
                    fillColor=f"--level-{min(inside)}",
                    color=f"--level-{min(inside)}",
                    popup_html=popup(area.name, str(labels[min(inside)])),
                )
            )
    for enterprise in enterprises:
        level = levels[enterprise.pk]
        result.append(
            feature(
                point(enterprise.lon, enterprise.lat),
                id=enterprise.pk,
                name=enterprise.name,
                fillColor=f"--level-{level}",
                popup_html=popup(enterprise.name, str(labels[level]), url=reverse("supervision:risk-points")),
            )
        )
    return result


RISK_MAP_LAYER = MapLayer(
    "risk_map",
    gettext_lazy("四色风险分布"),
    20,
    _risk_map,
    capability="risk.read",
    style={"point": "circle", "radius": 8, "color": "--map-hazard", "weight": 1, "fillOpacity": 0.35},
    visible=False,
    legend=tuple((f"--level-{value}", label) for value, label in RiskLevel.choices),
)
