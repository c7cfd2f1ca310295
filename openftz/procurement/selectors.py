"""Reads of the procurement workflow for pages, the API and the CLI."""
from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from openftz.core.errors import NotFound

from . import ocds, retention
from .models import AuditEntry, Challenge, Debarment, Debriefing, Procedure
from .permissions import role_of
from .rules import workflow


def publisher() -> dict:
    """The publisher named in every OCDS package (a setting, a read: selectors import no services)."""
    return getattr(settings, "OPENFTZ_OCDS_PUBLISHER", {"name": "OpenFTZ 上海自贸试验区政府采购", "uri": "https://openftz.example/"})


def procedures(*, method: str | None = None, stage: str | None = None, entity: str | None = None) -> QuerySet[Procedure]:
    qs = Procedure.objects.select_related("entity")
    if method:
        qs = qs.filter(method=method)
    if stage:
        qs = qs.filter(stage=stage)
    if entity:
        qs = qs.filter(entity_id=entity)
    return qs


def procedure(ocid: str) -> Procedure:
    try:
        return Procedure.objects.select_related("entity").get(ocid=ocid)
    except Procedure.DoesNotExist:
        raise NotFound(f"没有采购项目 {ocid}", f"there is no procedure {ocid}", details={"ocid": ocid}) from None


def releases(procedure: Procedure) -> list[dict]:
    return [r.data for r in procedure.releases.order_by("seq")]


def procedure_package(procedure: Procedure, kind: str, *, base_url: str | None = None) -> dict:
    """The procedure as an OCDS 1.1 release package or record package.

    Package URIs are absolute (the schema's ``uri`` format): ``base_url`` is the site's address as the request saw
    it, else the ``OPENFTZ_PUBLIC_URL`` setting.
    """
    base = (base_url or getattr(settings, "OPENFTZ_PUBLIC_URL", "http://127.0.0.1:8000/")).rstrip("/")
    published = timezone.now().astimezone(retention.SHANGHAI).isoformat()
    release_uri = f"{base}/api/procurement/procedures/{procedure.ocid}/package?kind=release"
    if kind == "release":
        return ocds.release_package(releases(procedure), uri=release_uri, published=published, publisher=publisher())
    return ocds.record_package(procedure.ocid, releases(procedure), procedure.compiled,
                               uri=f"{base}/api/procurement/procedures/{procedure.ocid}/package?kind=record",
                               published=published, publisher=publisher(), release_uri=release_uri)


def _scope(qs, user, *, supplier_field: str = "supplier_id", entity_field: str = "procedure__entity_id"):
    """What a user may list: its own (supplier, officer) or everything (review body, supervisor)."""
    role = role_of(user)
    profile = getattr(user, "procurement_profile", None)
    if role == "supplier":
        return qs.filter(**{supplier_field: profile.party_id})
    if role == "entity_officer":
        return qs.filter(**{entity_field: profile.entity_id})
    if role in ("review_body", "supervisor"):
        return qs
    return qs.none()


def challenges(user, *, status: str | None = None, ocid: str | None = None) -> QuerySet[Challenge]:
    qs = _scope(Challenge.objects.select_related("procedure", "supplier"), user)
    if status:
        qs = qs.filter(status=status)
    if ocid:
        qs = qs.filter(procedure__ocid=ocid)
    return qs


def challenge(pk: int) -> Challenge:
    try:
        return Challenge.objects.select_related("procedure", "procedure__entity", "supplier").get(pk=pk)
    except (Challenge.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"没有质疑 {pk}", f"there is no challenge {pk}", details={"id": pk}) from None


def debriefings(user, *, overdue: bool | None = None, ocid: str | None = None) -> list[Debriefing]:
    qs = _scope(Debriefing.objects.select_related("procedure", "supplier"), user)
    if ocid:
        qs = qs.filter(procedure__ocid=ocid)
    rows = list(qs)
    if overdue is not None:
        rows = [d for d in rows if is_overdue(d) == overdue]
    return rows


def is_overdue(debriefing: Debriefing) -> bool:
    return workflow.debriefing_overdue(due_on=debriefing.due_on, answered_on=debriefing.answered_on, today=retention.today())


def debriefing(pk: int) -> Debriefing:
    try:
        return Debriefing.objects.select_related("procedure", "procedure__entity", "supplier").get(pk=pk)
    except (Debriefing.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"没有答复请求 {pk}", f"there is no debriefing {pk}", details={"id": pk}) from None


def debarments(user, *, supplier: str | None = None) -> QuerySet[Debarment]:
    role = role_of(user)
    qs = Debarment.objects.select_related("supplier", "entity")
    if role == "supplier":
        qs = qs.filter(supplier_id=user.procurement_profile.party_id)
    elif role == "public":
        qs = qs.none()
    if supplier:
        qs = qs.filter(supplier_id=supplier)
    return qs


def debarment(pk: int) -> Debarment:
    try:
        return Debarment.objects.select_related("supplier", "entity").get(pk=pk)
    except (Debarment.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"没有登记 {pk}", f"there is no debarment {pk}", details={"id": pk}) from None


def audit(user, *, ocid: str | None = None, obj=None, limit: int = 200) -> QuerySet[AuditEntry]:
    role = role_of(user)
    qs = AuditEntry.objects.select_related("actor")
    if role == "entity_officer":
        qs = qs.filter(ocid__in=Procedure.objects.filter(entity_id=user.procurement_profile.entity_id).values("ocid"))
    elif role not in ("review_body", "supervisor"):
        return qs.none()
    if ocid:
        qs = qs.filter(ocid=ocid)
    if obj is not None:
        qs = qs.filter(object_type=type(obj).__name__.lower(), object_id=str(obj.pk))
    return qs[:limit]
