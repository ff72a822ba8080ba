"""The demo's QRA study: the demo park's default scenarios (toxic clouds, jet and pool fires,
BLEVE fireballs, flash fires and explosions), ready to run (not run at load,
which would take a while). Loading twice changes nothing: the study's name marks it as loaded."""

from __future__ import annotations

from chempark.core.actors import SYSTEM
from chempark.emergency.models import QraStudy
from chempark.emergency.services import qra_study_create
from chempark.park.demo_data import PARK_NAME
from chempark.park.models import Park

DEMO_STUDY_NAME = "演示园区定量风险评价（默认情景）"


def load_demo_study() -> str:
    park = Park.objects.filter(name=PARK_NAME).first()
    if park is None:
        return "没有演示园区，未创建风险评价。"
    if QraStudy.objects.filter(name=DEMO_STUDY_NAME).exists():
        return "演示风险评价已存在，未重复创建。"
    study = qra_study_create(actor=SYSTEM, name=DEMO_STUDY_NAME, park_id=park.pk)
    return f"演示风险评价已创建（{len(study.scenarios)} 个泄漏情景，待计算）。"
