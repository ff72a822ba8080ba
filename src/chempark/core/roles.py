"""Roles and what each may do: the one permission table of the platform.

等保 2.0 asks for three-role separation: the system administrator (here ``bureau_admin``) runs the
platform and its data, the security administrator (``security_admin``) manages accounts and tokens,
and the auditor (``auditor``) reads the audit trail. None of the three holds another's power.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    BUREAU_ADMIN = "bureau_admin"
    INSPECTOR = "inspector"
    DISPATCHER = "dispatcher"
    EXPERT = "expert"
    AUDITOR = "auditor"
    SECURITY_ADMIN = "security_admin"
    ENTERPRISE = "enterprise"
    MACHINE = "machine"
    SERVICE_ORG = "service_org"


ROLE_LABELS_ZH: dict[Role, str] = {
    Role.BUREAU_ADMIN: "局系统管理员",
    Role.INSPECTOR: "监管执法人员",
    Role.DISPATCHER: "值班调度",
    Role.EXPERT: "专家",
    Role.AUDITOR: "审计员",
    Role.SECURITY_ADMIN: "安全管理员",
    Role.ENTERPRISE: "企业用户",
    Role.MACHINE: "企业接入设备",
    Role.SERVICE_ORG: "第三方服务机构",
}

# Capabilities:
#   registry.read       see the park registry (an enterprise user: only its own enterprise's part)
#   registry.write      change enterprises, units, storage and inventories (enterprise user: own only)
#   park.write          change park-wide data: park, areas, chemical catalogue, protective targets,
#                       create or delete enterprises
#   registry.import     import workbooks
#   map.read            the one-map
#   audit.read          the audit trail
#   accounts.manage     users, their lock, machine API tokens, MQTT credentials; revoking anyone's token
#   ingest.write        push readings and video events (machines)
#   hazard.read         major hazard installations, their assessments and commitments
#   hazard.submit       register a major hazard and submit its filing, duty checks, daily commitment
#                       (enterprise user: own only; bureau staff on an enterprise's behalf)
#   hazard.approve      approve or return filings, approve cancellations (the bureau)
#   monitoring.read     monitoring points, readings, alarms, indicators
#   monitoring.configure  define monitoring points, thresholds and cameras (enterprise user: own only;
#                       its changes of alarm limits, deadband, on-delay and enabling are requests)
#   monitoring.approve  approve or reject those change requests (the bureau)
#   alarm.handle        acknowledge alarms and record their handling (enterprise user: own only)
#   alarm.escalated     receive escalated alarms and reminders as the duty officer
#   simulation.run      run consequence simulations (事故模拟) and leak-source estimates
#   qra.run             run and read park quantitative risk assessments
#   danger.read         hidden dangers, their rectification and reminders (enterprise user: own only)
#   danger.report       record a hidden danger found (inspection, expert check, own investigation)
#   danger.rectify      rectify a hidden danger and submit its evidence (enterprise user: own only)
#   danger.manage       order rectification, verify, close out, escalate (the bureau)
#   inspection.read     campaigns, random draws, inspection records
#   inspection.manage   plan campaigns, draw, record inspections, keep checklists and pools (the bureau)
#   enforcement.manage  enforcement cases, their stages and documents (the bureau)
#   licence.read        licences and personnel certificates, their expiry (enterprise user: own only)
#   licence.manage      record licences (the bureau)
#   certificate.write   record personnel certificates (enterprise user: own only)
#   operation.read      special-operation filings, work permits, their checks (enterprise user: own only)
#   operation.file      file (报备) a special operation (enterprise user: own only)
#   operation.check     spot-check filed special operations online (the bureau)
#   risk.read           risk points and the four-colour risk map (enterprise user: own only)
#   risk.write          assess risk points (enterprise user: own only; the bureau)
#   project.read        三同时 construction projects and their stage decisions (enterprise user: own only)
#   project.manage      register projects and decide their stages (the bureau)
_READ = {"registry.read", "map.read", "hazard.read", "monitoring.read"}
_BUREAU = {
    "registry.write",
    "park.write",
    "registry.import",
    "hazard.submit",
    "hazard.approve",
    "monitoring.configure",
    "monitoring.approve",
    "simulation.run",
    "qra.run",
}
_SUPERVISION = {
    "danger.read",
    "danger.report",
    "danger.rectify",
    "danger.manage",
    "inspection.read",
    "inspection.manage",
    "enforcement.manage",
    "licence.read",
    "licence.manage",
    "certificate.write",
    "operation.read",
    "operation.file",
    "operation.check",
    "risk.read",
    "risk.write",
    "project.read",
    "project.manage",
}
# experts record findings in their checks and read what they are asked to advise on (reviews included)
_EXPERT_SUPERVISION = {"danger.read", "danger.report", "inspection.read", "operation.read", "risk.read", "project.read"}
CAPABILITIES: dict[Role, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_READ | _BUREAU | _SUPERVISION),
    Role.INSPECTOR: frozenset(_READ | _BUREAU | _SUPERVISION),
    Role.DISPATCHER: frozenset(_READ | {"alarm.handle", "alarm.escalated", "simulation.run"}),
    Role.EXPERT: frozenset(_READ | {"simulation.run", "qra.run"} | _EXPERT_SUPERVISION),
    # Three-role separation: the auditor reads the audit trail (which names its objects) and nothing
    # else; the security administrator manages accounts, tokens and broker credentials and sees no
    # business data.
    Role.AUDITOR: frozenset({"audit.read"}),
    Role.SECURITY_ADMIN: frozenset({"accounts.manage"}),
    Role.ENTERPRISE: frozenset(
        _READ
        | {
            "registry.write",
            "registry.import",
            "hazard.submit",
            "monitoring.configure",
            "alarm.handle",
            "simulation.run",
            "danger.read",
            "danger.report",
            "danger.rectify",
            "licence.read",
            "certificate.write",
            "operation.read",
            "operation.file",
            "risk.read",
            "risk.write",
            "project.read",
        }
    ),
    Role.MACHINE: frozenset({"ingest.write"}),
    # 安全管家 / third-party service organisations: the findings and expert checks they record for the
    # enterprises assigned to their organisation (the supervision app keeps the assignment and scopes
    # their reads and writes to it), nothing else.
    Role.SERVICE_ORG: frozenset({"danger.read", "danger.report"}),
}

ENTERPRISE_SCOPED_ROLES = frozenset({Role.ENTERPRISE, Role.MACHINE})
