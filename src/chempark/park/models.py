"""The park registry: what is where in the park, who runs it, and what chemicals it holds.

Geometry is stored as GeoJSON in WGS84 (lon/lat order), which is what Leaflet and the API speak;
distances are computed in a local metric projection by ``chempark.common.geo``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chempark.gb18218.tables import table2
from chempark.park.validators import GeometryValidator, validate_cas, validate_uscc

LON = [MinValueValidator(-180), MaxValueValidator(180)]
LAT = [MinValueValidator(-90), MaxValueValidator(90)]
NON_NEGATIVE = [MinValueValidator(0)]
# A positive area at the field's precision (two decimals): zero and negative areas are refused.
POSITIVE_AREA = [MinValueValidator(Decimal("0.01"))]
# A mass fraction above zero, at most one, at the field's precision (four decimals).
MASS_FRACTION = [MinValueValidator(Decimal("0.0001")), MaxValueValidator(1)]
# From the Dead Sea shore to the highest plateau towns: a park outside this range is a typing error.
ALTITUDE_M = [MinValueValidator(-500), MaxValueValidator(6000)]
AREA_GEOMETRY = GeometryValidator("Polygon", "MultiPolygon")
TARGET_GEOMETRY = GeometryValidator("Point", "Polygon", "MultiPolygon")


class Park(models.Model):
    """The chemical industrial park the bureau supervises (one per deployment, usually)."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    boundary = models.JSONField(
        _("边界"), help_text="GeoJSON Polygon or MultiPolygon, WGS84", validators=[AREA_GEOMETRY]
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    # Sets the air pressure of the consequence models (ICAO standard atmosphere): at 2 000 m the air
    # is a fifth thinner, which changes gas densities, the outflow through a hole and flame lengths.
    altitude_m = models.FloatField(
        _("海拔 (m)"),
        default=0.0,
        validators=ALTITUDE_M,
        help_text=_("园区地面的平均海拔，−500 至 6000 米；事故模拟和风险评估按它计算环境大气压"),
    )

    def __str__(self) -> str:
        return self.name

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")


class AreaKind(models.TextChoices):
    PRODUCTION = "production", _("生产区")
    STORAGE = "storage", _("储存区")
    OFFICE = "office", _("办公区")
    PUBLIC_ROAD = "public_road", _("公共道路")
    PARKING = "parking", _("停车场")
    OTHER = "other", _("其他")


class Area(models.Model):
    """A functional zone of the park (production, storage, roads, parking...)."""

    park = models.ForeignKey(Park, verbose_name=_("园区"), on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=32, choices=AreaKind.choices)
    geometry = models.JSONField(
        _("范围"), help_text="GeoJSON Polygon or MultiPolygon, WGS84", validators=[AREA_GEOMETRY]
    )

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="area_name_unique_in_park")]

    def __str__(self) -> str:
        return self.name


class EnterpriseKind(models.TextChoices):
    PRODUCTION = "production", _("生产")
    STORAGE = "storage", _("储存")
    USE = "use", _("使用")
    OPERATION = "operation", _("经营")
    OTHER = "other", _("其他")


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", _("正常生产")
    SUSPENDED = "suspended", _("停产")
    UNDER_CONSTRUCTION = "under_construction", _("在建")
    CLOSED = "closed", _("关闭")


class Enterprise(models.Model):
    """A hazardous-chemical enterprise in the park, identified by its 统一社会信用代码 (USCC)."""

    park = models.ForeignKey(Park, verbose_name=_("园区"), on_delete=models.PROTECT, related_name="enterprises")
    name = models.CharField(_("企业名称"), max_length=200, unique=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    kind = models.CharField(_("企业类型"), max_length=32, choices=EnterpriseKind.choices)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    lon = models.FloatField(_("经度"), validators=LON)
    lat = models.FloatField(_("纬度"), validators=LAT)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    safety_contact = models.CharField(_("安全负责人"), max_length=50, blank=True)
    safety_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    # GB 18218-2018 α (Table 5): residents within 500 m of the plant boundary; null = not yet reported.
    population_500m = models.PositiveIntegerField(
        _("厂界外500米内常住人口"),
        null=True,
        blank=True,
        help_text=_("用于 GB 18218 校正系数 α；未填报时按 α = 2.0（最不利）分级"),
    )
    status = models.CharField(
        _("状态"), max_length=32, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    PRODUCTION = "production", _("生产单元")
    STORAGE = "storage", _("储存单元")


class Unit(models.Model):
    """A production or storage unit (GB 18218's unit of identification) within one enterprise."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("单元编码"), max_length=50)
    name = models.CharField(_("单元名称"), max_length=200)
    kind = models.CharField(_("单元类型"), max_length=32, choices=UnitKind.choices)
    lon = models.FloatField(_("经度"), validators=LON)
    lat = models.FloatField(_("纬度"), validators=LAT)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("生产单元")
        verbose_name_plural = _("生产单元")
        ordering = ["enterprise_id", "code"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "code"], name="unit_code_unique_in_enterprise")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TankKind(models.TextChoices):
    FIXED_ROOF = "fixed_roof", _("固定顶储罐")
    FLOATING_ROOF = "floating_roof", _("浮顶储罐")
    PRESSURE = "pressure", _("压力储罐")
    SPHERE = "sphere", _("球罐")
    CRYOGENIC = "cryogenic", _("低温储罐")
    WAREHOUSE = "warehouse", _("仓库")
    OTHER = "other", _("其他")


class Tank(models.Model):
    """A tank or warehouse inside a unit, with its design maximum quantity in tonnes."""

    unit = models.ForeignKey(Unit, verbose_name=_("单元"), on_delete=models.PROTECT, related_name="tanks")
    code = models.CharField(_("编号"), max_length=50)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=32, choices=TankKind.choices)
    chemical = models.ForeignKey(
        "Chemical", verbose_name=_("储存介质"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    volume_m3 = models.DecimalField(
        _("容积 (m³)"), max_digits=12, decimal_places=3, null=True, blank=True, validators=NON_NEGATIVE
    )
    design_max_t = models.DecimalField(_("设计最大量 (t)"), max_digits=14, decimal_places=4, validators=NON_NEGATIVE)
    # The floor area inside the bund (防火堤/围堰) a spill from this tank is held in: it bounds the
    # pool of a release, and so the reach of its pool fire (chempark.consequence.spills).
    bund_area_m2 = models.DecimalField(
        _("围堰面积 (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE_AREA,
        help_text=_("防火堤或围堰内的地面面积；留空表示无围堰或未知"),
    )

    class Meta:
        verbose_name = _("储罐")
        verbose_name_plural = _("储罐")
        ordering = ["unit_id", "code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="tank_code_unique_in_unit")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


def validate_gb18218_categories(value: object) -> None:
    """A list of GB 18218-2018 Table 2 codes (``W5.3``), or ``["-"]`` for "in no Table 2 category"."""
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_('须为 GB 18218 表2类别代码的列表，如 ["W5.3"]'))
    if "-" in value and len(value) > 1:
        raise ValidationError(_("“-”（不属于表2任何类别）不能与其他类别同时填写"))
    unknown = [code for code in value if code != "-" and code not in table2()]
    if unknown:
        raise ValidationError(_("不是 GB 18218 表2类别代码：%(codes)s"), params={"codes": ", ".join(unknown)})


MAX_GHS_CATEGORIES = 50
MAX_GHS_CATEGORY_LENGTH = 100


def validate_ghs_categories(value: object) -> None:
    """A list of GHS hazard classes as text (``["易燃气体 类别1"]``): hazard identification reads them
    for every inventory of the chemical, so anything else would break all of them at once."""
    from django.core.exceptions import ValidationError

    if (
        not isinstance(value, list)
        or len(value) > MAX_GHS_CATEGORIES
        or not all(isinstance(item, str) and 0 < len(item) <= MAX_GHS_CATEGORY_LENGTH for item in value)
    ):
        raise ValidationError(
            _("须为 GHS 危险性类别的列表（至多 %(items)s 项，每项 1–%(length)s 字）"),
            params={"items": MAX_GHS_CATEGORIES, "length": MAX_GHS_CATEGORY_LENGTH},
        )


class Chemical(models.Model):
    """A hazardous chemical of the catalogue (危险化学品目录), by CAS where it has one."""

    name_zh = models.CharField(_("中文名称"), max_length=200, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    aliases = models.CharField(_("别名"), max_length=500, blank=True, help_text="以 ; 分隔")
    cas = models.CharField(_("CAS 号"), max_length=12, unique=True, null=True, blank=True, validators=[validate_cas])
    un_number = models.CharField(_("UN 号"), max_length=4, blank=True)
    ghs_categories = models.JSONField(
        _("GHS 危险性类别"), default=list, blank=True, validators=[validate_ghs_categories]
    )
    # Set by the bureau when the category derived from the GHS classes is wrong or missing
    # (see chempark.hazards.categories); empty = derive.
    gb18218_categories = models.JSONField(
        _("GB 18218 类别"),
        default=list,
        blank=True,
        validators=[validate_gb18218_categories],
        help_text=_('表2类别代码，如 ["W5.3"]；留空则由 GHS 类别推导；["-"] 表示不属于表2任何类别'),
    )
    formula = models.CharField(_("分子式"), max_length=100, blank=True)
    molar_mass_g_mol = models.FloatField(_("摩尔质量 (g/mol)"), null=True, blank=True)
    boiling_point_k = models.FloatField(_("沸点 (K)"), null=True, blank=True)
    critical_temperature_k = models.FloatField(_("临界温度 (K)"), null=True, blank=True)
    critical_pressure_pa = models.FloatField(_("临界压力 (Pa)"), null=True, blank=True)

    class Meta:
        verbose_name = _("危险化学品")
        verbose_name_plural = _("危险化学品")
        ordering = ["name_zh"]

    def __str__(self) -> str:
        return self.name_zh


class Inventory(models.Model):
    """How much of one chemical a unit may hold (design maximum) and holds now, in tonnes."""

    unit = models.ForeignKey(Unit, verbose_name=_("单元"), on_delete=models.PROTECT, related_name="inventories")
    chemical = models.ForeignKey(
        Chemical, verbose_name=_("危险化学品"), on_delete=models.PROTECT, related_name="inventories"
    )
    design_max_t = models.DecimalField(_("设计最大量 (t)"), max_digits=14, decimal_places=4, validators=NON_NEGATIVE)
    current_t = models.DecimalField(_("当前存量 (t)"), max_digits=14, decimal_places=4, validators=NON_NEGATIVE)
    # GB 18218 names some substances by concentration (甲醛(含量>90%), 硝酸(含硝酸>70%)): the fraction
    # decides whether the holding is that Table 1 row or is classified by its GHS classes.
    mass_fraction = models.DecimalField(
        _("质量分数"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=MASS_FRACTION,
        help_text=_("溶液中该化学品的质量分数，0–1（如甲醛溶液 0.37）；留空表示纯品或未知"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("存量")
        verbose_name_plural = _("存量")
        ordering = ["unit_id", "chemical_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "chemical"], name="inventory_unique_per_unit_chemical"),
            models.CheckConstraint(
                name="inventory_current_within_design",
                condition=models.Q(current_t__lte=models.F("design_max_t")),
                violation_error_message=_("当前存量不能大于设计最大量。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.chemical}"


class TargetKind(models.TextChoices):
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    KINDERGARTEN = "kindergarten", _("幼儿园")
    NURSING_HOME = "nursing_home", _("养老院")
    RESIDENTIAL = "residential", _("居民区")
    OFFICE = "office", _("办公场所")
    PUBLIC_VENUE = "public_venue", _("公共场所")
    OTHER = "other", _("其他")


class ProtectiveTarget(models.Model):
    """A protective target (防护目标) around the park: where people are who must be protected."""

    park = models.ForeignKey(Park, verbose_name=_("园区"), on_delete=models.PROTECT, related_name="targets")
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=32, choices=TargetKind.choices)
    geometry = models.JSONField(
        _("位置/范围"), help_text="GeoJSON Point, Polygon or MultiPolygon, WGS84", validators=[TARGET_GEOMETRY]
    )
    population = models.PositiveIntegerField(_("人数"), default=0)
    address = models.CharField(_("地址"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("防护目标")
        verbose_name_plural = _("防护目标")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="target_name_unique_in_park")]

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    SUCCEEDED = "succeeded", _("已导入")
    FAILED = "failed", _("未导入")


IMPORT_OBJECT = "park_import"  # the object type an import's background job is linked to


class ImportJob(models.Model):
    """One workbook upload: the file until the job worker has imported it, then the outcome — the
    counts, or the errors that refused it (the first of them, with ``error_count`` saying how many)."""

    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    # the uploaded workbook, kept in the database (the worker may run on another machine) and
    # emptied once the import has run
    content = models.BinaryField(default=b"", editable=False)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
