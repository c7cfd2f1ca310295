"""The plans as data: plans, chapters, sections, measures, responsible units and the SH→SC crosswalk."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.TextChoices):
    """How a Shanghai measure takes effect under SH-113."""

    LOCAL_AUTHORITY = "local_authority", _("Local authority: in force on issue of the plan")
    NATIONAL_APPROVAL = "national_approval", _("Needs national review or filing: detailed rules within 6 months, then national consent")
    NATIONAL_RULES = "national_rules", _("Needs national rules: national departments issue them, Shanghai implements")


class Plan(models.Model):
    code = models.CharField(primary_key=True, max_length=8)  # SC, SH
    doc_number = models.CharField(max_length=64)  # 文号, e.g. 国发〔2023〕23号
    title = models.TextField()
    title_en = models.TextField(blank=True)
    notice_title = models.TextField(blank=True)
    issuer = models.CharField(max_length=64)
    issuer_en = models.CharField(max_length=128, blank=True)
    kind = models.CharField(max_length=16, blank=True)
    signed_on = models.DateField(null=True)
    printed_on = models.DateField(null=True)
    preamble = models.TextField(blank=True)
    source_file = models.CharField(max_length=128)
    source_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["signed_on"]

    def __str__(self) -> str:
        return f"{self.code} {self.doc_number}"


class Chapter(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=128)
    title_en = models.CharField(max_length=200, blank=True)
    intro = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="chapter_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.number} {self.title}"


class Section(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=128)
    title_en = models.CharField(max_length=200, blank=True)
    intro = models.TextField(blank=True)

    class Meta:
        ordering = ["chapter", "number"]
        constraints = [models.UniqueConstraint(fields=["chapter", "number"], name="section_unique_number")]

    def __str__(self) -> str:
        return f"{self.chapter} ({self.number}) {self.title}"


class Unit(models.Model):
    """A responsible unit (责任单位), named as the plan prints it."""

    name = models.CharField(max_length=64, unique=True)
    full_name_zh = models.CharField(max_length=128, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=32, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    same_body_as = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="other_names")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    id = models.CharField(primary_key=True, max_length=16)  # SC-1 … SC-80, SC-closing, SH-1 … SH-117
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField(null=True)  # null for an unnumbered paragraph (SC-closing)
    position = models.PositiveSmallIntegerField()  # order within the plan
    chapter = models.ForeignKey(Chapter, null=True, on_delete=models.CASCADE, related_name="measures")
    section = models.ForeignKey(Section, null=True, on_delete=models.CASCADE, related_name="measures")
    text = models.TextField()
    responsibility = models.TextField(blank=True)  # the clause as printed: (责任单位:…)
    title_en = models.CharField(max_length=300, blank=True)
    classification = models.CharField(max_length=32, choices=Classification.choices, blank=True)
    classification_reason = models.TextField(blank=True)
    search_text = models.TextField(blank=True)  # folded, lower-cased text + English title + units; indexed for search
    units = models.ManyToManyField(Unit, through="MeasureUnit", related_name="measures")

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="measure_unique_position")]

    def __str__(self) -> str:
        return self.id


class MeasureUnit(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="measure_links")
    position = models.PositiveSmallIntegerField()  # order as printed; 0 is the lead unit
    is_lead = models.BooleanField(default=False)  # the lead unit (牵头单位): the first unit named as leading
    leading = models.BooleanField(default=False)  # named as leading (牵头) in the clause; co-leads after the lead unit

    class Meta:
        ordering = ["measure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "unit"], name="measureunit_unique_unit"),
            models.UniqueConstraint(fields=["measure", "position"], name="measureunit_unique_position"),
            models.UniqueConstraint(fields=["measure"], condition=models.Q(is_lead=True), name="measureunit_one_lead"),
        ]


class CrosswalkLink(models.Model):
    """A Shanghai measure implements a State Council measure (reviewed, from data/rulebook/crosswalk.yaml)."""

    sh = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="implements_links")
    sc = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="implemented_by_links")
    rank = models.PositiveSmallIntegerField()  # 0 = the most direct link
    aligner_score = models.FloatField(null=True)  # what the automatic aligner scored this pair

    class Meta:
        ordering = ["sh__plan", "sh__position", "rank"]
        constraints = [models.UniqueConstraint(fields=["sh", "sc"], name="crosswalk_unique_pair")]
