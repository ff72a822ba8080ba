"""The 周边防护目标风险评估 report of a finished QRA study, as a PDF (reportlab).

Chinese text needs an embeddable CJK font: WenQuanYi Zen Hei (Debian ``fonts-wqy-zenhei``, TrueType
outlines, which reportlab's TTFont reads and embeds). Without it the report falls back to
reportlab's built-in ``STSong-Light`` CID font, which is not embedded (the viewer substitutes one).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
from django.utils import timezone, translation
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from shapely.geometry import shape

from chempark.consequence import zones
from chempark.emergency import model_warnings
from chempark.emergency.models import QraStudy

CJK_FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
)
CONTOUR_COLOURS = {"1e-05": "#c92a2a", "3e-06": "#e8590c", "1e-06": "#f59f00", "3e-07": "#2b8a3e"}
STATUS_ZH = {"new": "新建装置", "existing": "在役装置"}
VERDICT_ZH = {"acceptable": "满足", "unacceptable": "不满足", "incomplete": "不完整"}
FN_ZH = {
    "intolerable": "不可容许区",
    "alarp": "尽可能降低区",
    "tolerable": "可容许区",
    None: "未判定（未给出 F-N 判据线）",
}


@cache
def cjk_font() -> str:
    """Register and return the name of the CJK font used by the report."""
    for path in CJK_FONT_FILES:
        if path.exists():
            pdfmetrics.registerFont(TTFont("ChemparkCJK", str(path), subfontIndex=0))
            return "ChemparkCJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def text_paragraph(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph showing ``text`` literally. ReportLab reads a paragraph's text as markup, so an
    unescaped name such as ``<img src="/etc/passwd"/>`` would crash the report or embed a server
    file, and ``<a href>`` would plant a link in an official report. Every paragraph goes through
    here, so no user value (study, park, scenario or target name) can carry markup."""
    return Paragraph(escape(str(text)), style)


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK"),
        "small": ParagraphStyle("small", fontName=font, fontSize=8, leading=11, wordWrap="CJK"),
    }


def _table(rows: list[list[Any]], widths: list[float], style: ParagraphStyle) -> Table:
    cells = [[text_paragraph(value, style) for value in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#adb5bd")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def contour_figure(
    study: QraStudy, targets_xy: list[tuple[str, float, float, bool]], width: float = 170 * mm, height: float = 120 * mm
) -> Drawing:
    """Individual-risk contours (metres around the park centre), release points and targets
    (green = acceptable, red = not), to scale with a 1 km bar."""
    results = study.results or {}
    font = cjk_font()
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.HexColor("#f8f9fa"), strokeColor=colors.grey))
    points: list[tuple[float, float]] = []
    lines = results.get("contours_m", {})
    for polylines in lines.values():
        for line in polylines:
            points.extend((float(x), float(y)) for x, y in line)
    origin = results.get("origin", {})
    release_xy = []
    for row in study.scenarios:
        xy = zones.lonlat_to_local(
            np.array([[row["lon"], row["lat"]]], dtype=np.float64), origin.get("lon", 0.0), origin.get("lat", 0.0)
        )[0]
        release_xy.append((float(xy[0]), float(xy[1])))
    points.extend(release_xy)
    points.extend((x, y) for _n, x, y, _ok in targets_xy)
    if not points:
        return drawing
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, 1.0) * 1.1
    scale = min((width - 20) / span, (height - 40) / span)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return width / 2 + (x - cx) * scale, (height + 10) / 2 + (y - cy) * scale

    for level, polylines in lines.items():
        colour = colors.HexColor(CONTOUR_COLOURS.get(level, "#495057"))
        for line in polylines:
            flat = [coordinate for x, y in line for coordinate in at(float(x), float(y))]
            if len(flat) >= 4:
                drawing.add(PolyLine(flat, strokeColor=colour, strokeWidth=1.2))
    for x, y in release_xy:
        px, py = at(x, y)
        drawing.add(Rect(px - 1.5, py - 1.5, 3, 3, fillColor=colors.black, strokeColor=None))
    for _name, x, y, ok in targets_xy:
        px, py = at(x, y)
        drawing.add(
            Circle(px, py, 2.5, fillColor=colors.HexColor("#2f9e44" if ok else "#e03131"), strokeColor=colors.white)
        )
    bar = 1000.0 * scale
    drawing.add(Line(10, 10, 10 + bar, 10, strokeWidth=2))
    drawing.add(String(14 + bar, 7, "1 km", fontName=font, fontSize=8))
    legend_x = 10.0
    for level, colour in CONTOUR_COLOURS.items():
        drawing.add(
            Line(legend_x, height - 12, legend_x + 14, height - 12, strokeColor=colors.HexColor(colour), strokeWidth=2)
        )
        drawing.add(String(legend_x + 17, height - 15, f"{float(level):.0e}/年", fontName=font, fontSize=8))
        legend_x += 70
    drawing.add(String(legend_x, height - 15, "■ 泄漏点  ● 防护目标（绿：未超标 红：超标）", fontName=font, fontSize=8))
    return drawing


def _checks_section(checks: list[dict[str, Any]], missing: list[str], styles: dict[str, ParagraphStyle]) -> list[Any]:
    """Section 三: each target's GB 36894 verdict, and which tanks the study could not model (then no
    target is "满足")."""
    small, body = styles["small"], styles["body"]
    story: list[Any] = [text_paragraph("三、防护目标个人风险校核（GB 36894）", styles["h2"])]
    rows = [["防护目标", "类别", "人数", "个人风险 (/年)", "基准 (/年)", "结论"]]
    for check in checks:
        rows.append(
            [
                check["name"],
                check.get("category_zh", check["category"]),
                str(check.get("population", "")),
                f"{check['individual_risk_per_year']:.2e}",
                f"{check['limit_per_year']:.0e}",
                VERDICT_ZH[check.get("verdict") or ("acceptable" if check["acceptable"] else "unacceptable")],
            ]
        )
    story.append(_table(rows, [46 * mm, 40 * mm, 16 * mm, 26 * mm, 20 * mm, 18 * mm], small))
    if missing:
        story.append(
            text_paragraph(
                f"结论不完整：以下 {len(missing)} 个储罐/存量没有泄漏情景（无数据或无模型），其风险未计入，"
                "个人风险未超标的目标判为“不完整”而非“满足”：" + "、".join(missing),
                body,
            )
        )
    return story


def qra_report_pdf(study: QraStudy, targets: Sequence[Any]) -> bytes:
    """The report as PDF bytes (the study must have results); ``targets`` are the protective
    targets (with ``name`` and GeoJSON ``geometry``) as the reader's selector returned them."""
    results = study.results or {}
    styles = _styles()
    body, small = styles["body"], styles["small"]
    story: list[Any] = [
        text_paragraph("周边防护目标风险评估报告", styles["title"]),
        text_paragraph(f"{study.name} · {study.park.name}", styles["body"]),
        text_paragraph(
            f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}"
            + (f"　计算完成：{timezone.localtime(study.finished_at):%Y-%m-%d %H:%M}" if study.finished_at else ""),
            small,
        ),
        text_paragraph("一、输入", styles["h2"]),
    ]
    weather = "；".join(
        f"{w['name']}（{w['stability']} 类，{w['wind_speed_m_s']} m/s，概率 {w['probability']}）"
        for w in study.weather_classes
    )
    uniform = len(set(study.wind_rose)) == 1
    grid = results.get("grid", {})
    story.append(
        _table(
            [
                ["项目", "取值"],
                ["装置类别", STATUS_ZH.get(study.installation_status, study.installation_status)],
                ["泄漏情景数", str(len(study.scenarios))],
                ["气象类别", weather],
                [
                    "风玫瑰",
                    "16 方位均匀分布（占位值，应替换为当地气象站资料）"
                    if uniform
                    else "、".join(f"{p:.3f}" for p in study.wind_rose),
                ],
                ["计算网格", f"{grid.get('nx')} × {grid.get('ny')} 格，格距 {grid.get('cell_m')} m"],
                [
                    "模型",
                    "高斯烟羽（中性浮力），毒性概率函数（Crowl & Louvar 2011 表 2-5）；可燃物质按紫皮书事件树"
                    "（喷射火/池火/火球、闪火、爆炸）；频率取自紫皮书 CPR18E 第 3 章",
                ],
            ],
            [40 * mm, 130 * mm],
            body,
        )
    )
    scenario_rows = [["情景", "物质", "频率 (/年)", "释放速率 (kg/s) / 量 (kg)", "暴露 (min)", "频率来源"]]
    for row in study.scenarios[:60]:
        amount = (
            f"{row['mass_kg']:.3g} kg"
            if row.get("release_kind") == "instantaneous" and "mass_kg" in row
            else f"{row['rate_kg_s']:.3g}"
            if "rate_kg_s" in row
            else "—"
        )
        exposure = f"{row['exposure_min']:g}" if "exposure_min" in row else "—"
        scenario_rows.append(
            [
                row.get("name", ""),
                row.get("substance") or row.get("cas", ""),
                f"{row['frequency_per_year']:.1e}",
                amount,
                exposure,
                row.get("frequency_source", ""),
            ]
        )
    story += [Spacer(1, 4), _table(scenario_rows, [48 * mm, 18 * mm, 18 * mm, 22 * mm, 16 * mm, 48 * mm], small)]
    if len(study.scenarios) > 60:
        story.append(text_paragraph(f"（共 {len(study.scenarios)} 个情景，此处列出前 60 个）", small))
    story.append(text_paragraph("二、个人风险等值线", styles["h2"]))
    checks = results.get("target_checks", [])
    origin = results.get("origin", {})
    targets_xy = []
    by_name = {t.name: t for t in targets}
    for check in checks:
        target = by_name.get(check["name"])
        if target is None:
            continue
        centre = shape(target.geometry).centroid
        xy = zones.lonlat_to_local(
            np.array([[centre.x, centre.y]], dtype=np.float64), origin.get("lon", 0.0), origin.get("lat", 0.0)
        )[0]
        targets_xy.append((check["name"], float(xy[0]), float(xy[1]), bool(check["acceptable"])))
    story += [
        contour_figure(study, targets_xy),
        text_paragraph(
            f"最大个人风险 {results.get('max_individual_risk_per_year', 0):.2e} /年。"
            "等值线：1e-5、3e-6、1e-6、3e-7 /年。",
            body,
        ),
    ]
    story += _checks_section(checks, results.get("missing", []), styles)
    confidence = {row.get("confidence", "") for row in study.risk_limits}
    story.append(
        text_paragraph(
            "基准值表可在研究中编辑。默认值为 2014 年试行标准的三档数值对应到 GB 36894-2018 的防护目标类别，"
            f"标记为“{'、'.join(sorted(c for c in confidence if c)) or '—'}”：使用前请与标准原文核对。"
            "学校、医院、幼儿园、养老院按高敏感防护目标；其他目标按人数（≥100 人一类，30–99 人二类，<30 人三类）。",
            small,
        )
    )
    story.append(text_paragraph("四、社会风险（F-N 曲线）", styles["h2"]))
    fn = results.get("fn", [])
    if fn:
        story.append(
            _table(
                [["死亡人数 N ≥", "累积频率 F (/年)"]] + [[f"{n:g}", f"{f:.2e}"] for n, f in fn[:40]],
                [40 * mm, 50 * mm],
                small,
            )
        )
    else:
        story.append(text_paragraph("各情景在防护目标处的预计死亡人数均为零，F-N 曲线为空。", body))
    criterion = study.fn_criterion or {}
    story.append(
        text_paragraph(
            f"判定：{FN_ZH.get(results.get('fn_assessment'), results.get('fn_assessment'))}"
            + (
                f"（判据：{criterion.get('name', '')}，来源：{criterion.get('source', '')}）"
                if criterion
                else "。GB 36894-2018 的 F-N 判据线坐标未能核实，未内置；可在研究中给出。"
            ),
            body,
        )
    )
    story.append(text_paragraph("五、说明与局限", styles["h2"]))
    with translation.override("zh-hans"):  # the report is in Chinese whatever the page's language
        warnings = model_warnings.localized_qra_warnings(results)
    notes = [
        *warnings,
        "后果包括有毒气体扩散（连续泄漏的烟羽、瞬时泄漏的烟团毒性负荷）、池火、喷射火、火球、闪火与"
        "蒸气云爆炸（TNT 当量）。",
        "中性浮力高斯模型：重气（如液氯）近场的重力沉降未单独模拟；闪蒸液体的雨析、池的随时间扩展、"
        "地形与建筑物影响未考虑。",
        "泄漏频率与点火概率为紫皮书数值（凭记忆录入，标记为 recalled），延迟点火概率为占位值，正式评价前应核对原表。",
        "个人风险基准为 2014 年试行标准的分级映射到 GB 36894-2018 的防护目标类别（原表未核实）。",
    ]
    for note in notes:
        story.append(text_paragraph(f"· {note}", small))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title="周边防护目标风险评估报告",
    ).build(story)
    return buffer.getvalue()
