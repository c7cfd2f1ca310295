"""The tracker's vocabularies (status, red/amber/green, report state, risk disposition, roles): no tables, so that
pages, the API, the CLI and the Excel workbook can name them without importing the models."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator (Municipal Commission of Commerce)")
    UNIT_OFFICER = "unit_officer", _("Unit officer")
    ENTERPRISE = "enterprise", _("Enterprise")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFTING_RULES = "drafting_rules", _("Drafting rules")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class MeasureStatus(models.TextChoices):
    """A measure's status, rolled up from its tasks' (``rules.measure_status``): the task statuses and "in progress"."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DRAFTING_RULES = "drafting_rules", _("Drafting rules")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class Rag(models.TextChoices):
    GREEN = "green", _("On track")
    AMBER = "amber", _("At risk")
    RED = "red", _("Overdue")
    GREY = "grey", _("Stopped")


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Disposition(models.TextChoices):
    NONE = "", _("None")
    ADJUST = "adjust", _("Adjust")
    SUSPEND = "suspend", _("Suspend")
    TERMINATE = "terminate", _("Terminate")


class FeedbackKind(models.TextChoices):
    QUESTION = "question", _("Question")
    OPINION = "opinion", _("Opinion")
