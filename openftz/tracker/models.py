"""The implementation tracker: tasks per (Shanghai measure × responsible unit), milestones, progress reports
with evidence, the risk register, innovation cases and their scores, enterprise feedback, and field history."""
import threading

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, router

from openftz.rulebook.models import Measure, Unit

from .choices import Disposition, FeedbackKind, Rag, ReportState, Role, Status  # noqa: F401 (the models' vocabularies)

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class Profile(models.Model):
    """Who a user is in the tracker: a role and, for a unit officer, the one unit they act for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracker_profile")
    role = models.CharField(max_length=16, choices=Role.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="officers")
    organisation = models.CharField(max_length=200, blank=True)  # an enterprise's name

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="unit_officer") | models.Q(unit__isnull=False), name="profile_officer_has_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Task(models.Model):
    """One responsible unit's part in one Shanghai measure."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="tasks")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="tasks")
    is_lead = models.BooleanField(default=False)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(default=0, validators=PERCENT)
    due = models.DateField(null=True, blank=True)
    next_report_due = models.DateField(null=True, blank=True)
    rag = models.CharField(max_length=8, choices=Rag.choices, default=Rag.GREEN)
    rag_reasons = models.JSONField(default=list, blank=True)
    rag_computed_on = models.DateField(null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tasks")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure__position", "-is_lead", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "unit"], name="task_unique_measure_unit"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="task_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} · {self.unit.name}"


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]


class Report(models.Model):
    """A progress report (进展报告) a unit files on its task; the coordinator accepts or returns it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tracker_reports")
    narrative = models.TextField()
    progress = models.PositiveSmallIntegerField(validators=PERCENT)
    status = models.CharField(max_length=24, choices=Status.choices)
    state = models.CharField(max_length=16, choices=ReportState.choices, default=ReportState.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="reviewed_reports")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_max_100")]


class Evidence(models.Model):
    """A file (kept with its SHA-256) or a link to an issued document (with its document number, 文号)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(blank=True)
    doc_number = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(sha256="") | ~models.Q(url=""), name="evidence_file_or_link"),
        ]


class Risk(models.Model):
    """An entry of the risk register (风险评估, SC-75/SH-107; 风险预警, SC-76/SH-108)."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="risks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    early_warning = models.BooleanField(default=False)
    disposition = models.CharField(max_length=16, choices=Disposition.choices, blank=True, default="")
    disposition_reason = models.TextField(blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="raised_risks")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-early_warning", "-likelihood", "-impact", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5), name="risk_scale_1_5"),
            models.CheckConstraint(condition=models.Q(disposition="") | ~models.Q(disposition_reason=""), name="risk_disposition_has_reason"),
        ]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class InnovationCase(models.Model):
    """An institutional-opening innovation case put forward for the award (SH-117)."""

    title = models.CharField(max_length=200)
    summary = models.TextField()
    measures = models.ManyToManyField(Measure, related_name="innovation_cases")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="innovation_cases")
    organisation = models.CharField(max_length=200)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]


class CaseScore(models.Model):
    """A reviewer's scores on the plan's three criteria: 首创性, 行业影响力, 市场感受度 (0–10 each)."""

    case = models.ForeignKey(InnovationCase, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_scores")
    originality = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    industry_impact = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    market_perception = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    comment = models.TextField(blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "reviewer"], name="casescore_one_per_reviewer"),
            models.CheckConstraint(condition=models.Q(originality__lte=10, industry_impact__lte=10, market_perception__lte=10), name="casescore_max_10"),
        ]


class Feedback(models.Model):
    """An enterprise's question or opinion on a measure (SH-96, SH-115), answered by the responsible unit."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tracker_feedback")
    kind = models.CharField(max_length=16, choices=FeedbackKind.choices)
    text = models.TextField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="answered_feedback")
    answered_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(published=False) | ~models.Q(answer=""), name="feedback_published_answered")]


class Change(models.Model):
    """Field-level history: who changed what, from what, to what, when."""

    entity = models.CharField(max_length=16)  # task | report | risk | milestone | feedback | case
    entity_id = models.PositiveIntegerField()
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=40)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["entity", "entity_id"])]


class DemoMark(models.Model):
    """Present when the tracker holds demo data (演示数据), so that every page can say so."""

    loaded_at = models.DateTimeField(auto_now_add=True)


def _epoch() -> str:
    import uuid

    return uuid.uuid4().hex


class DataVersion(models.Model):
    """Two counters: ``value`` moves on with every write of the tracker (cached pages and roll-ups are keyed on it);
    ``access`` moves on whenever who may see what may have changed — a sign-out, a user or tracker profile saved or
    deleted, a session deleted — so that a process's memory of which sessions it has verified is dropped.

    ``epoch`` is new whenever the row is created again (a fresh or reset database), so that keys never repeat.
    Within a request the row is read once (``request_started`` opens the memo, ``request_finished`` closes it, a
    write of the request clears it); outside requests, in commands and workers, every call reads it.
    """

    value = models.BigIntegerField(default=0)
    epoch = models.CharField(max_length=32, default=_epoch)
    access = models.BigIntegerField(default=0)

    _memo = threading.local()

    @classmethod
    def bump(cls) -> None:
        cls._bump("value")

    @classmethod
    def bump_access(cls, **kwargs) -> None:
        """Also a signal receiver (the signals' arguments are not needed)."""
        cls._bump("access")

    @classmethod
    def _bump(cls, counter: str) -> None:
        cls._memo.row = None
        if not cls.objects.filter(pk=1).update(**{counter: models.F(counter) + 1}):
            cls.objects.get_or_create(pk=1, defaults={counter: 1})

    @classmethod
    def current(cls) -> str:
        """The data version."""
        epoch, value, _ = cls._row()
        return f"{epoch}.{value}" if epoch else "0"

    @classmethod
    def current_access(cls) -> str:
        """The access version."""
        epoch, _, access = cls._row()
        return f"{epoch}.{access}" if epoch else "0"

    @classmethod
    def open_memo(cls, **kwargs) -> None:
        cls._memo.open, cls._memo.row = True, None

    @classmethod
    def close_memo(cls, **kwargs) -> None:
        cls._memo.open, cls._memo.row = False, None

    @classmethod
    def _row(cls) -> tuple:
        memo = cls._memo
        if getattr(memo, "open", False):
            if memo.row is None:
                memo.row = cls._read()
            return memo.row
        return cls._read()

    @classmethod
    def _read(cls) -> tuple:
        """One prepared statement: the ORM would cost more than the read itself."""
        connection = connections[router.db_for_read(cls)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT epoch, value, access FROM {connection.ops.quote_name(cls._meta.db_table)} WHERE id = 1")
            row = cursor.fetchone()
        return tuple(row) if row else ("", 0, 0)
