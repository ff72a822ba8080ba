"""The one-map layer of enterprises with open hidden dangers: red (``--level-1``) where a major one is
open, yellow (``--level-3``) where only general ones are; the popup counts them and the overdue."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.map_layers import Feature, MapLayer, feature, point, popup
from chempark.supervision import selectors, workflow
from chempark.supervision.models import DangerGrade


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
