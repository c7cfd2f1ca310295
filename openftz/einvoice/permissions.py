"""Who may do what in the single window's e-invoice exchange — every check lives here.

An enterprise user is linked to one party of the directory (:class:`~openftz.einvoice.models.Member`, the way the
tracker links a user to its role and unit with a profile). It sends invoices as that party, reads the messages that
party sent or received, and answers — as the buyer — only the messages that party received. Anything else is a 403
that writes nothing. A user with no party (the public, or a tracker officer) has no inbox.
"""
from __future__ import annotations

from enum import StrEnum

from openftz.core.errors import OpenFTZError


class Action(StrEnum):
    SEND = "send"
    VIEW = "view"
    RESPOND = "respond"


class Forbidden(OpenFTZError):
    status = 403
    code = "forbidden"


def party_id_of(user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    member = getattr(user, "einvoice_member", None)
    return member.party_id if member is not None else None


def require_party(user) -> str:
    """The party the user acts for; 403 if it acts for none."""
    party_id = party_id_of(user)
    if party_id is None:
        raise Forbidden("您的账户未关联企业，无法使用电子发票收发",
                        "your account acts for no party of the directory: it has no e-invoice inbox",
                        details={"action": "inbox"})
    return party_id


def can(user, action: Action, message=None) -> bool:
    party_id = party_id_of(user)
    if party_id is None:
        return False
    if action == Action.SEND:
        return True
    if action == Action.VIEW:
        return message is not None and party_id in (message.sender_id, message.receiver_id)
    if action == Action.RESPOND:
        return message is not None and party_id == message.receiver_id
    return False


def require(user, action: Action, message=None) -> None:
    if not can(user, action, message):
        raise Forbidden("您无权执行此操作", f"you may not {action.value} this message",
                        details={"action": action.value})
