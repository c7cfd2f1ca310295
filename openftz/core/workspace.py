"""我的工作 / My work: what waits for a user across the services, each item with its deadline and a link.

Core knows no app: each app declares, in a ``workspace.py`` module (found with Django's ``autodiscover_modules``, as
the menu's ``nav.py``), one function that takes a user and the day and returns that user's work items. The function
reads through the app's own selectors and permissions and returns nothing for a user who has no role in the app.
The page, the API (``GET /api/work/``) and the CLI (``openftz work list``) all read :func:`collect`.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

# How far ahead "due soon" (and the page's "due this week" summary) looks, in calendar days: a presentation choice of
# the workspace, not a legal period (legal periods are the apps' parameters, and give the deadlines themselves).
WEEK_DAYS = 7

URGENCIES = ("overdue", "due_soon", "later", "open")


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting for a user.

    ``service`` is the app that contributes it (``tracker``, ``einvoice`` …), ``kind`` a stable name of what is to be
    done (``report_to_review``), ``title`` what to do in the user's language, ``subject`` what it is about (a measure
    and unit, an invoice number, a procedure), ``deadline`` the last day (Asia/Shanghai) or None where the law sets
    none, ``overdue`` whether the deadline has passed (an app may know more, e.g. an answer given late), ``url`` the
    page where it is done. ``urgency`` is filled in by :func:`collect`.
    """

    service: str
    kind: str
    title: str
    subject: str
    url: str
    deadline: dt.date | None = None
    overdue: bool = False
    urgency: str = "open"

    def as_dict(self) -> dict:
        out = asdict(self)
        out["title"] = str(self.title)
        out["deadline"] = self.deadline.isoformat() if self.deadline else None
        return out


Source = Callable[..., Iterable[WorkItem]]


@dataclass(frozen=True)
class Contributor:
    service: str
    label: str  # the service's name, translated (lazy)
    source: Source
    order: int = 100


_CONTRIBUTORS: dict[str, Contributor] = {}
_discovered = False
_lock = threading.Lock()


def register(service: str, label, source: Source, *, order: int = 100) -> None:
    """Register an app's source of work items: ``source(user, today) -> iterable of WorkItem``."""
    _CONTRIBUTORS[service] = Contributor(service, label, source, order)


def contributors() -> list[Contributor]:
    global _discovered
    if not _discovered:
        with _lock:
            if not _discovered:
                autodiscover_modules("workspace")
                _discovered = True
    return sorted(_CONTRIBUTORS.values(), key=lambda c: (c.order, c.service))


# — the parties a user acts for ————————————————————————————————————————————————————————————————————————————————
# Until one sign-in links users to organisations, each app that links a user to a party of the directory (an
# e-invoice member, a data export representative, a procurement supplier) says so here, and an app without a user link
# of its own (transferable records, whose instructions are signed with a party's key) reads the union.

_PARTY_SOURCES: dict[str, Callable] = {}


def register_parties(service: str, source: Callable) -> None:
    """``source(user)`` returns the id of the directory party the user acts for in ``service``, or None."""
    _PARTY_SOURCES[service] = source


def acting_parties(user) -> set[str]:
    """The directory parties ``user`` acts for, in any service."""
    if user is None or not user.is_authenticated:
        return set()
    contributors()  # the sources are registered by the apps' workspace modules
    return {p for source in _PARTY_SOURCES.values() if (p := source(user))}


def urgency(deadline: dt.date | None, overdue: bool, today: dt.date) -> str:
    """overdue (past its deadline, or flagged so by the app) · due_soon (within the week) · later · open (no deadline)."""
    if overdue or (deadline is not None and deadline < today):
        return "overdue"
    if deadline is None:
        return "open"
    return "due_soon" if (deadline - today).days < WEEK_DAYS else "later"


def _natural(text: str) -> tuple:
    """``SH-9`` before ``SH-10``: runs of digits compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


def sort_key(item: WorkItem) -> tuple:
    """Overdue first, then by deadline (soonest first), items without a deadline last; then by title and subject."""
    return (item.urgency != "overdue", item.deadline is None, item.deadline or dt.date.max, str(item.title),
            _natural(item.subject))


@dataclass
class Group:
    service: str
    label: str
    items: list[WorkItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def overdue(self) -> int:
        return sum(i.urgency == "overdue" for i in self.items)


@dataclass
class Work:
    today: dt.date
    groups: list[Group]

    @property
    def items(self) -> list[WorkItem]:
        return sorted((i for g in self.groups for i in g.items), key=sort_key)

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def overdue(self) -> int:
        return sum(g.overdue for g in self.groups)

    @property
    def due_this_week(self) -> list[WorkItem]:
        """Items due within the week (today included), overdue ones not counted."""
        return [i for i in self.items if i.urgency == "due_soon"]


def collect(user, *, today: dt.date | None = None) -> Work:
    """Every contributor's items for ``user``, each group sorted overdue first and then by deadline; only the services
    with something for the user are kept. An anonymous user has no work."""
    today = today or timezone.localdate()
    groups: list[Group] = []
    if user is None or not user.is_authenticated:
        return Work(today, groups)
    for c in contributors():
        items = []
        for item in c.source(user, today):
            level = urgency(item.deadline, item.overdue, today)
            items.append(replace(item, overdue=level == "overdue", urgency=level))
        if items:
            groups.append(Group(c.service, str(c.label), sorted(items, key=sort_key)))
    return Work(today, groups)
