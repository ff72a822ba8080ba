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
    FINANCE = "finance"
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
    Role.FINANCE: "财务",
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
#   vehicle.read        the hazmat transport registry, gates, vehicles in the park, reservations (enterprise
#                       user: its own reservations)
#   vehicle.manage      carriers, vehicles, drivers and escorts, the blacklist, gates (the bureau)
#   reservation.request request entry reservations and cancel them (enterprise user: for its own enterprise)
#   reservation.approve approve or refuse reservations (the bureau)
#   access.read         access-control areas, doors, people, headcounts and rosters (enterprise user: own only)
#   access.manage       define them (enterprise user: own only)
#   command.read        the command-centre screen (大屏), the command overview (the bureau's landing
#                       page), the park-wide risk ranking, the duty roster
#   workbench.read      the enterprise workbench, an enterprise user's landing page (its own only)
#   duty.write          plan duty shifts and sign shift handovers (交接班)
#   notifications.read  one's own inbox
#   notifications.log   the log of e-mail, SMS and robot deliveries
#   plan.read           emergency plans, drills, compliance, public warnings
#   plan.write          write plans, their versions, evaluations and drills (enterprise user: own only)
#   plan.file           record a plan's filing (备案) with the bureau
#   warning.issue       compose, publish, update and cancel public warnings (CAP)
#   calendar.manage     the public holidays and make-up working days of the working-day calendar
#   resource.read       the emergency resources ledger and the road network (enterprise user: own resources)
#   resource.write      keep the resources ledger (enterprise user: own resources only)
#   road.write          change road speeds and block or open roads
#   incident.read       incidents, their timeline, decision support and dispatches (enterprise user: own)
#   incident.command    take incidents, dispatch teams and equipment, close incidents, investigations
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
#   periodic.read       the platform's periodic tasks and their last runs (the system administrator)
_READ = {
    "registry.read",
    "map.read",
    "hazard.read",
    "monitoring.read",
    "vehicle.read",
    "access.read",
    "notifications.read",
    "plan.read",
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
_COMMAND = {"command.read"}  # the bureau's own park-wide view; enterprises see only their own index
#   budget.read         budget years, projects, spending, indicators, self-evaluation, training records
#   budget.import       import the performance-target statement (and its xlsx template)
#   budget.spend        record spending against a project
#   budget.evaluate     enter indicator results and evidence, set self-evaluation weights
#   training.write      record training sessions and education activities
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
    "vehicle.manage",
    "reservation.request",
    "reservation.approve",
    "access.manage",
    "budget.read",
    "training.write",
    "plan.write",
    "plan.file",
    "warning.issue",
}
CAPABILITIES: dict[Role, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(
        _READ
        | _COMMAND
        | _BUREAU
        | _SUPERVISION
        | {"duty.write", "notifications.log", "calendar.manage", "periodic.read"}
    ),
    Role.INSPECTOR: frozenset(_READ | _COMMAND | _BUREAU | _SUPERVISION | {"duty.write"}),
    Role.DISPATCHER: frozenset(
        _READ | _COMMAND | {"alarm.handle", "alarm.escalated", "simulation.run", "duty.write", "warning.issue"}
    ),
    Role.EXPERT: frozenset(_READ | _COMMAND | {"simulation.run", "qra.run"} | _EXPERT_SUPERVISION),
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
            "reservation.request",
            "access.manage",
            "plan.write",
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
            "workbench.read",
        }
    ),
    Role.MACHINE: frozenset({"ingest.write"}),
    # Finance (财务) keeps the budget: imports the statement, records spending, evaluates; nothing else.
    Role.FINANCE: frozenset({"budget.read", "budget.import", "budget.spend", "budget.evaluate"}),
    # 安全管家 / third-party service organisations: the findings and expert checks they record for the
    # enterprises assigned to their organisation (the supervision app keeps the assignment and scopes
    # their reads and writes to it), nothing else.
    Role.SERVICE_ORG: frozenset({"danger.read", "danger.report"}),
}
# Emergency command (接处警): the bureau keeps the ledger, the duty officer commands incidents and
# blocks roads, experts read; an enterprise reads its own incidents and keeps its own resources.
_INCIDENTS = {"resource.read", "incident.read"}
for _role, _extra in (
    (Role.BUREAU_ADMIN, {"resource.write", "road.write", "incident.command"}),
    (Role.INSPECTOR, {"resource.write", "road.write", "incident.command"}),
    (Role.DISPATCHER, {"road.write", "incident.command"}),
    (Role.EXPERT, set()),
    (Role.ENTERPRISE, {"resource.write"}),
):
    CAPABILITIES[_role] = CAPABILITIES[_role] | _INCIDENTS | _extra

ENTERPRISE_SCOPED_ROLES = frozenset({Role.ENTERPRISE, Role.MACHINE})

# Vehicle tracking: tracking.read (live vehicles, tracks, violations, reports) for the bureau's staff;
# tracking.configure (fences, designated routes, parking lots) for those who run park data. Machines
# push positions with ingest.write. Vehicles belong to carriers, not to an enterprise, so
# enterprise users see their visitors through reservations, not here.
for _role, _caps in (
    (Role.BUREAU_ADMIN, {"tracking.read", "tracking.configure"}),
    (Role.INSPECTOR, {"tracking.read", "tracking.configure"}),
    (Role.DISPATCHER, {"tracking.read"}),
    (Role.EXPERT, {"tracking.read"}),
):
    CAPABILITIES[_role] = CAPABILITIES[_role] | _caps
