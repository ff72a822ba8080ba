"""English translations of the interface (source strings are Chinese, the platform's first language).

`python scripts/translations_en.py` fills src/chempark/locale/en/LC_MESSAGES/django.po from this table
and the per-module tables in scripts/translations/*.py (each defines ``EN``) after
`chempark makemessages -l en`; untranslated strings are listed so none is forgotten.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

EN = {
    "系统": "System", "审计日志": "Audit trail", "用户与令牌": "Users and tokens", "用户名": "Username",
    "密码": "Password", "对象类型": "Object type", "对象编号": "Object id", "操作人": "Operator", "操作": "Action",
    "全部": "All", "姓名": "Name", "角色": "Role", "所属企业": "Enterprise", "初始密码": "Initial password",
    "令牌名称": "Token name", "企业": "Enterprise", "个人": "Person", "设备": "Machine", "名称": "Name",
    "类型": "Type", "新增": "New", "修改": "Update", "删除": "Delete", "登录": "Log in", "登录失败": "Login failed",
    "账号锁定": "Account locked", "签发令牌": "Token issued", "吊销令牌": "Token revoked", "导入": "Import",
    "时间": "Time", "请求编号": "Request id",
    "密码须包含小写字母、大写字母、数字、符号中的至少三类。":
        "The password must contain at least three of: lower-case letters, upper-case letters, digits, symbols.",
    "查询": "Search", "对象": "Object", "变更": "Changes", "没有记录": "No records", "用户登录": "Log in",
    "设备令牌（只显示这一次，请立即保存）：": "Machine token (shown only this once, save it now):",
    "新增用户": "New user", "创建": "Create", "签发设备令牌": "Issue a machine token", "签发": "Issue",
    "用户": "Users", "最近登录": "Last login", "锁定至": "Locked until", "访问令牌": "Access tokens",
    "前缀": "Prefix", "所属": "Owner", "签发时间": "Issued at", "最近使用": "Last used", "已吊销": "Revoked",
    "吊销": "Revoke", "已创建用户 %(name)s。": "User %(name)s created.", "令牌已吊销。": "Token revoked.",
    "综合监管": "Supervision", "一张图": "One-map", "园区边界": "Park boundary", "功能区域": "Areas",
    "生产/储存单元": "Production and storage units", "防护目标": "Protective targets", "底图": "Basemap",
    "人数": "People", "查看详情": "Details", "搜索企业、单元、防护目标": "Search enterprises, units, targets",
    "未找到": "Not found", "生产类企业": "Production enterprise", "储存/经营类企业": "Storage or trading enterprise",
    "单元": "Unit", "园区档案": "Park registry", "储罐与仓库": "Tanks and warehouses",
    "危化品存量": "Chemical inventories", "危险化学品目录": "Chemical catalogue", "园区区域": "Park areas",
    "Excel 导入": "Excel import", "边界": "Boundary", "地址": "Address", "生产区": "Production area",
    "储存区": "Storage area", "办公区": "Office area", "公共道路": "Public road", "停车场": "Parking lot",
    "其他": "Other", "园区": "Park", "范围": "Extent", "生产": "Production", "储存": "Storage", "使用": "Use",
    "经营": "Trading", "正常生产": "Operating", "停产": "Suspended", "在建": "Under construction",
    "关闭": "Closed", "企业名称": "Enterprise name", "统一社会信用代码": "Unified social credit code (USCC)",
    "企业类型": "Enterprise type", "行业": "Industry", "经度": "Longitude", "纬度": "Latitude",
    "法定代表人": "Legal representative", "安全负责人": "Safety manager", "联系电话": "Phone",
    "从业人数": "Employees", "状态": "Status", "更新时间": "Updated at", "生产单元": "Production unit",
    "储存单元": "Storage unit", "单元编码": "Unit code", "单元名称": "Unit name", "单元类型": "Unit type",
    "说明": "Description", "固定顶储罐": "Fixed-roof tank", "浮顶储罐": "Floating-roof tank",
    "压力储罐": "Pressure vessel", "球罐": "Sphere", "低温储罐": "Cryogenic tank", "仓库": "Warehouse",
    "编号": "No.", "储存介质": "Contents", "容积 (m³)": "Volume (m³)", "设计最大量 (t)": "Design maximum (t)",
    "围堰面积 (m²)": "Bund area (m²)",
    "防火堤或围堰内的地面面积；留空表示无围堰或未知":
        "Floor area inside the bund (fire dike); leave empty when there is no bund or it is unknown",
    "中文名称": "Chinese name", "英文名称": "English name", "别名": "Aliases", "CAS 号": "CAS number",
    "UN 号": "UN number", "GHS 危险性类别": "GHS hazard classes", "分子式": "Formula",
    "摩尔质量 (g/mol)": "Molar mass (g/mol)", "沸点 (K)": "Boiling point (K)",
    "临界温度 (K)": "Critical temperature (K)", "临界压力 (Pa)": "Critical pressure (Pa)",
    "危险化学品": "Hazardous chemical", "当前存量 (t)": "Current quantity (t)", "学校": "School",
    "医院": "Hospital", "幼儿园": "Kindergarten", "养老院": "Nursing home", "居民区": "Residential area",
    "办公场所": "Offices", "公共场所": "Public venue", "位置/范围": "Location or extent", "排队中": "Queued",
    "处理中": "Running", "已导入": "Imported", "未导入": "Not imported", "返回列表": "Back to list",
    "编辑": "Edit", "确定删除？": "Delete this record?", "无": "None", "保存": "Save", "取消": "Cancel",
    "Excel 导入：企业、单元、储罐、危化品存量": "Excel import: enterprises, units, tanks, chemical inventories",
    "先下载模板，按模板填写后上传。导入前整体校验：任何一行有错误，整个文件都不会导入，并列出每个错误的工作表、行、列和原因。":
        "Download the template, fill it in and upload it. The whole file is checked first: if any row has an "
        "error nothing is imported, and every error is listed with its sheet, row, column and reason.",
    "下载模板": "Download template", "上传并导入": "Upload and import", "最近的导入": "Recent imports",
    "文件": "File", "导入完成": "Import finished",
    "发现 %(n)s 个错误，文件未导入，数据没有任何变化。":
        "%(n)s errors found: the file was not imported and no data changed.",
    "工作表": "Sheet", "行": "Row", "列": "Column", "原因": "Reason", "导入进度": "Import progress",
    "返回导入页面": "Back to import", "搜索": "Search", "导出 Excel": "Export to Excel",
    "没有符合条件的记录": "No matching records", "已保存。": "Saved.", "已删除。": "Deleted.",
    "简体中文": "简体中文", "English": "English", "上一页": "Previous",
    "第 %(n)s / %(total)s 页，共 %(count)s 条": "Page %(n)s of %(total)s, %(count)s records",
    "下一页": "Next", "化工园区安全生产与应急管理平台": "Chemical Park Safety and Emergency Management Platform",
    "语言": "Language", "退出": "Log out", "导航": "Navigation", "出错了": "Error", "无权访问": "Access denied",
    "操作未完成": "Not done", "返回": "Back",
    "局系统管理员": "Bureau administrator", "监管执法人员": "Inspector", "值班调度": "Duty dispatcher",
    "专家": "Expert", "审计员": "Auditor", "安全管理员": "Security administrator", "企业用户": "Enterprise user",
    # strings shared by several modules' pages
    "标题": "Title", "源经度": "Source longitude", "源纬度": "Source latitude", "输入": "Input", "结果": "Result",
    "受影响防护目标数": "Protective targets affected", "网格尺寸 (m)": "Grid cell (m)", "网格外扩 (m)": "Grid margin (m)",
    "风玫瑰": "Wind rose", "个人风险基准": "Individual-risk criteria", "社会风险判据": "Societal-risk criterion",
    "错误": "Error", "创建时间": "Created at", "开始时间": "Start time", "完成时间": "Finished",
    "稳定度 %%(s)s，输送风速 %%(u)s m/s，源强 %%(q)s；受影响防护目标 %%(n)s 个，约 %%(p)s 人。":
        "Stability %%(s)s, transport wind %%(u)s m/s, source %%(q)s; %%(n)s protective targets affected, about "
        "%%(p)s people.",
    "报警仍未确认（第 %%s 次提醒）": "Alarm still not acknowledged (reminder %%s)",
}

PO = Path(__file__).resolve().parent.parent / "src/chempark/locale/en/LC_MESSAGES/django.po"
ENTRY = re.compile(r'msgid ((?:"(?:[^"\\]|\\.)*"\n)+)(msgid_plural ((?:"(?:[^"\\]|\\.)*"\n)+))?((?:msgstr(?:\[\d\])? (?:"(?:[^"\\]|\\.)*"\n)+)+)')


def _text(quoted: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', quoted)).replace('\\"', '"')


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def _module_tables() -> dict[str, str]:
    """The ``EN`` tables of scripts/translations/*.py, one per module."""
    import importlib.util

    merged: dict[str, str] = {}
    for path in sorted((Path(__file__).resolve().parent / "translations").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"translations_{path.stem}", path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        merged.update(module.EN)
    return merged


def main() -> int:
    EN.update(_module_tables())
    source = PO.read_text(encoding="utf-8")
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        msgid = _text(match.group(1))
        if msgid == "":
            return match.group(0)
        english = EN.get(msgid)
        if english is None:
            missing.append(msgid)
            return match.group(0)
        if match.group(2):
            return (f"msgid {match.group(1)}msgid_plural {match.group(3)}"
                    f"msgstr[0] {_quote(english)}\nmsgstr[1] {_quote(english)}\n")
        return f"msgid {match.group(1)}msgstr {_quote(english)}\n"

    PO.write_text(ENTRY.sub(fill, source).replace("#, fuzzy\n", ""), encoding="utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
