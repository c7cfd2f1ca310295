"""Who sees and records what in the data export service.

An enterprise's representative (``Representative``: a user acting for one party of the directory) records and
reads its own party's approvals and reminders; the zone administration — the coordinator role of OpenFTZ
(市商务委) and superusers — reads and records everyone's. Anyone else is refused (403) and nothing is written.
"""
from __future__ import annotations

from openftz.core.errors import OpenFTZError
from openftz.tracker.permissions import role_of


class Forbidden(OpenFTZError):
    status = 403
    code = "forbidden"


def is_zone_admin(user) -> bool:
    return role_of(user) == "coordinator"


def represented_party(user) -> str | None:
    """The party a user acts for, if any."""
    if user is None or not user.is_authenticated:
        return None
    representative = getattr(user, "dataexport_representative", None)
    return representative.party_id if representative else None


def visible_parties(user) -> set[str] | None:
    """The parties whose approvals ``user`` may read: None for all (the zone administration)."""
    if is_zone_admin(user):
        return None
    party = represented_party(user)
    if party is None:
        raise Forbidden("仅企业代表和自贸试验区管理部门可查看", "only an enterprise's representative or the zone administration may see this",
                        details={"role": role_of(user)})
    return {party}


def require_party(user, party_id: str) -> None:
    """Refuse unless ``user`` may act for ``party_id``."""
    allowed = visible_parties(user)
    if allowed is not None and party_id not in allowed:
        raise Forbidden("您无权代表该企业", "you may not act for this party", details={"party": party_id})
