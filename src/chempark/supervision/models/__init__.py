"""Supervision records: hidden dangers and their closed loop, inspections with their campaigns,
checklists and random draws, enforcement cases and their document templates, licences and
certificates, risk points, special operations."""

from chempark.supervision.models.cases import (
    CaseStageChoice,
    CaseTransition,
    DocumentKind,
    DocumentTemplate,
    EnforcementCase,
    ViolationKind,
)
from chempark.supervision.models.dangers import (
    DangerGrade,
    DangerSource,
    DangerStatusChoice,
    DangerTransition,
    Evidence,
    HiddenDanger,
    MajorDangerCriterion,
)
from chempark.supervision.models.holdings import (
    Certificate,
    CertificateKind,
    Licence,
    LicenceKind,
    RiskLevel,
    RiskMethod,
    RiskPoint,
    RiskPointKind,
)
from chempark.supervision.models.inspections import (
    Campaign,
    CampaignKind,
    Checklist,
    Inspection,
    PoolKind,
    PoolMember,
    RandomDraw,
)
from chempark.supervision.models.operations import (
    OperationGrade,
    OperationKind,
    SpecialOperation,
    SpotCheck,
    WorkPermit,
)
from chempark.supervision.models.organisations import ServiceOrganisation
from chempark.supervision.models.projects import (
    ConstructionProject,
    ProjectDecision,
    ProjectStageChoice,
)

__all__ = [
    "Campaign",
    "CampaignKind",
    "CaseStageChoice",
    "CaseTransition",
    "Certificate",
    "CertificateKind",
    "Checklist",
    "ConstructionProject",
    "DangerGrade",
    "DangerSource",
    "DangerStatusChoice",
    "DangerTransition",
    "DocumentKind",
    "DocumentTemplate",
    "EnforcementCase",
    "Evidence",
    "HiddenDanger",
    "Inspection",
    "Licence",
    "LicenceKind",
    "MajorDangerCriterion",
    "OperationGrade",
    "OperationKind",
    "PoolKind",
    "PoolMember",
    "ProjectDecision",
    "ProjectStageChoice",
    "RandomDraw",
    "RiskLevel",
    "RiskMethod",
    "RiskPoint",
    "RiskPointKind",
    "ServiceOrganisation",
    "SpecialOperation",
    "SpotCheck",
    "ViolationKind",
    "WorkPermit",
]
