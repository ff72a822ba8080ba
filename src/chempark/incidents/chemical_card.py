"""A chemical's hazard, protection and first-aid card (应急处置卡) in Chinese, from what the park's
catalogue holds: its GHS classes (pure, no Django).

The catalogue keeps GHS hazard classes, not safety data sheets, so the card gives the response
that each class calls for — the precautionary and first-aid measures GHS (GB 30000 series) attaches
to the class — and tells the reader to check the enterprise's SDS. Classes are matched by the
start of their Chinese name ("急性毒性-吸入 类别2" matches "急性毒性-吸入").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Advice:
    hazard: str
    protection: str
    first_aid: str


ADVICE: tuple[tuple[str, Advice], ...] = (
    (
        "急性毒性-吸入",
        Advice(
            "吸入有毒，可致命",
            "进入危险区须佩戴正压式空气呼吸器、穿气密型防化服；人员向上风向撤离",
            "迅速脱离现场至空气新鲜处，保持呼吸道通畅；呼吸困难时给氧，呼吸停止时立即人工呼吸并就医",
        ),
    ),
    (
        "急性毒性",
        Advice(
            "吞咽或皮肤接触有毒",
            "戴防毒面具和防护手套，避免皮肤接触",
            "脱去污染衣物，用大量流动清水冲洗皮肤；误服者漱口，立即就医",
        ),
    ),
    (
        "易燃气体",
        Advice(
            "极易燃气体，与空气混合能形成爆炸性混合物",
            "消除一切点火源，使用防爆工具；在可燃气体浓度检测合格前不得进入",
            "吸入者移至空气新鲜处；冻伤处用温水复温，不得揉搓，就医",
        ),
    ),
    (
        "易燃液体",
        Advice(
            "易燃液体，蒸气可与空气形成爆炸性混合物",
            "消除点火源，用泡沫覆盖液面抑制蒸发；筑堤或挖坑收容泄漏液体",
            "皮肤接触用清水冲洗；吸入者移至空气新鲜处，就医",
        ),
    ),
    (
        "加压气体",
        Advice(
            "内装加压气体，遇热可能爆炸；液化气体泄漏可致冻伤",
            "远距离冷却受火容器；人员远离容器两端",
            "冻伤处用温水复温，就医",
        ),
    ),
    (
        "氧化性",
        Advice(
            "可引起或加剧燃烧，氧化剂",
            "远离可燃物；用大量水灭火",
            "皮肤接触用大量清水冲洗，就医",
        ),
    ),
    (
        "皮肤腐蚀/刺激",
        Advice(
            "造成严重皮肤灼伤和眼损伤",
            "穿耐酸碱防护服、戴防护面罩和手套",
            "立即用大量流动清水冲洗皮肤和眼睛至少 15 分钟，就医",
        ),
    ),
    (
        "致癌性",
        Advice(
            "可能致癌",
            "避免接触和吸入，佩戴防毒面具和防护服",
            "脱离接触后就医观察",
        ),
    ),
)
SDS_NOTE = "以上按 GHS 危险性类别给出通用处置要点；具体以企业提供的化学品安全技术说明书（SDS）为准。"


@dataclass(frozen=True)
class Card:
    name: str
    classes: tuple[str, ...]
    advice: tuple[Advice, ...]
    note: str = SDS_NOTE


def card(name: str, ghs_classes: Sequence[str]) -> Card:
    """The card of one chemical: the advice of each of its classes, once each, in table order."""
    found: list[Advice] = []
    for prefix, advice in ADVICE:
        if any(c.startswith(prefix) for c in ghs_classes) and advice not in found:
            if prefix == "急性毒性" and any(c.startswith("急性毒性-吸入") for c in ghs_classes):
                continue  # the inhalation advice already covers it
            found.append(advice)
    return Card(name, tuple(ghs_classes), tuple(found))
