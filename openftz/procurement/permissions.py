"""Who may do what in procurement — every object-level check lives here.

Roles: procuring-entity officer (采购人经办人: its own entity's procedures), supplier (供应商: an enterprise user linked
to a party; its own challenges and debriefings), review body member (审查主管机关, independent of the procuring
entity, SH-85: routes and decides challenges), supervisor (监督: reads everything), public (the published notices).
A Django superuser without a procurement profile counts as a supervisor, and alone may destroy records whose
retention period is over.
"""
from __future__ import annotations

from enum import StrEnum

from openftz.core.errors import OpenFTZError


class Action(StrEnum):
    VIEW_PROCEDURE = "view_procedure"          # published procedures and notices
    CREATE_PROCEDURE = "create_procedure"
    ADD_RELEASE = "add_release"                # a new OCDS release: tender update, award, contract, end
    MARK_CONFIDENTIAL = "mark_confidential"
    FILE_CHALLENGE = "file_challenge"
    VIEW_CHALLENGE = "view_challenge"
    WITHDRAW_CHALLENGE = "withdraw_challenge"
    STATE_ON_CHALLENGE = "state_on_challenge"  # the procuring entity's statement on a challenge against it
    ROUTE_CHALLENGE = "route_challenge"
    DECIDE_CHALLENGE = "decide_challenge"
    REQUEST_DEBRIEFING = "request_debriefing"
    VIEW_DEBRIEFING = "view_debriefing"
    ANSWER_DEBRIEFING = "answer_debriefing"
    VIEW_DEBARMENTS = "view_debarments"
    RECORD_DEBARMENT = "record_debarment"
    EXCLUDE_SUPPLIER = "exclude_supplier"
    VIEW_AUDIT = "view_audit"
    DESTROY_EXPIRED = "destroy_expired"        # only once the SH-81 retention period is over


class Forbidden(OpenFTZError):
    status = 403
    code = "forbidden"


def role_of(user) -> str:
    if user is None or not user.is_authenticated:
        return "public"
    profile = getattr(user, "procurement_profile", None)
    if profile is not None:
        return profile.role
    return "supervisor" if user.is_superuser else "public"


_GRANTS: dict[str, set[Action]] = {
    "entity_officer": {Action.VIEW_PROCEDURE, Action.CREATE_PROCEDURE, Action.ADD_RELEASE, Action.MARK_CONFIDENTIAL,
                       Action.VIEW_CHALLENGE, Action.STATE_ON_CHALLENGE, Action.VIEW_DEBRIEFING, Action.ANSWER_DEBRIEFING,
                       Action.VIEW_DEBARMENTS, Action.RECORD_DEBARMENT, Action.EXCLUDE_SUPPLIER, Action.VIEW_AUDIT},
    "supplier": {Action.VIEW_PROCEDURE, Action.FILE_CHALLENGE, Action.VIEW_CHALLENGE, Action.WITHDRAW_CHALLENGE,
                 Action.REQUEST_DEBRIEFING, Action.VIEW_DEBRIEFING, Action.VIEW_DEBARMENTS},
    "review_body": {Action.VIEW_PROCEDURE, Action.VIEW_CHALLENGE, Action.ROUTE_CHALLENGE, Action.DECIDE_CHALLENGE,
                    Action.VIEW_DEBRIEFING, Action.VIEW_DEBARMENTS, Action.VIEW_AUDIT},
    "supervisor": {Action.VIEW_PROCEDURE, Action.VIEW_CHALLENGE, Action.VIEW_DEBRIEFING, Action.VIEW_DEBARMENTS,
                   Action.VIEW_AUDIT, Action.DESTROY_EXPIRED},
    "public": {Action.VIEW_PROCEDURE},
}
# Actions an officer takes only on its own entity's objects.
_OWN_ENTITY = {Action.ADD_RELEASE, Action.MARK_CONFIDENTIAL, Action.VIEW_CHALLENGE, Action.STATE_ON_CHALLENGE,
               Action.VIEW_DEBRIEFING, Action.ANSWER_DEBRIEFING, Action.EXCLUDE_SUPPLIER, Action.CREATE_PROCEDURE,
               Action.RECORD_DEBARMENT, Action.VIEW_AUDIT}
# Actions a supplier takes only on its own challenges, debriefings and register entries.
_OWN_PARTY = {Action.VIEW_CHALLENGE, Action.WITHDRAW_CHALLENGE, Action.VIEW_DEBRIEFING, Action.VIEW_DEBARMENTS}


def can(user, action: Action, obj=None) -> bool:
    role = role_of(user)
    if action not in _GRANTS[role]:
        return False
    if action == Action.DESTROY_EXPIRED:
        return bool(user.is_superuser)
    profile = getattr(user, "procurement_profile", None)
    if role == "entity_officer" and action in _OWN_ENTITY:
        return obj is None or _entity_id(obj) == profile.entity_id
    if role == "supplier" and action in _OWN_PARTY:
        return obj is None or _party_id(obj) == profile.party_id
    return True


def require(user, action: Action, obj=None) -> None:
    if not can(user, action, obj):
        raise Forbidden("您无权执行此操作", f"you may not {action.value.replace('_', ' ')} here",
                        details={"action": action.value, "role": role_of(user)})


def _entity_id(obj) -> str | None:
    """The procuring entity an object belongs to (a procedure, an object of a procedure, an entity, a debarment)."""
    from .models import Debarment, ProcuringEntity

    if isinstance(obj, ProcuringEntity):
        return obj.pk
    if isinstance(obj, Debarment):
        return obj.entity_id
    procedure = getattr(obj, "procedure", obj)
    return getattr(procedure, "entity_id", None)


def _party_id(obj) -> str | None:
    return getattr(obj, "supplier_id", None)
