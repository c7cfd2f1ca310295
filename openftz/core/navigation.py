"""The site's navigation, grouped by layer, showing each user only what they can use.

Core knows no app: each app declares its entries in a ``nav.py`` module (found with Django's
``autodiscover_modules``), each with a ``visible(user)`` test that calls that app's own ``permissions.py``. The menu,
the breadcrumbs and the 403 page's "where to go instead" all read this one registry.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

# The three layers of OpenFTZ, in the order the menu shows them, after the signed-in user's own work (我的工作).
LAYERS = {
    "work": _("My work"),
    "rulebook": _("Rulebook"),
    "tracker": _("Tracker"),
    "services": _("Services"),
}
# Layers the menu shows as one direct link (their one entry), not as a drop-down.
DIRECT_LAYERS = {"work"}


def everyone(user) -> bool:
    return True


def signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


@dataclass(frozen=True)
class Entry:
    """One destination: its layer, its label (translated), a URL name (with args) and who may see it."""

    layer: str
    label: str
    url_name: str
    args: tuple = ()
    visible: Callable = everyone
    order: int = 100
    exact: bool = False  # current only on its own URL (a home page), not on the pages under it

    def url(self) -> str | None:
        try:
            return reverse(self.url_name, args=self.args)
        except NoReverseMatch:
            return None


_ENTRIES: list[Entry] = []
_discovered = False
_lock = threading.Lock()


def register(*entries: Entry) -> None:
    for entry in entries:
        if entry.layer not in LAYERS:
            raise ValueError(f"unknown layer {entry.layer!r}")
        _ENTRIES.append(entry)


def entries() -> list[Entry]:
    global _discovered
    if not _discovered:
        with _lock:
            if not _discovered:
                autodiscover_modules("nav")
                _discovered = True
    return sorted(_ENTRIES, key=lambda e: (list(LAYERS).index(e.layer), e.order))


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Group:
    layer: str
    label: str
    links: list[Link]
    direct: bool = False  # shown as its one link, not as a drop-down


def menu(user, path: str) -> list[Group]:
    """The layers with the entries ``user`` may use, the one ``path`` is under marked current."""
    visible = [(e, e.url()) for e in entries() if e.visible(user)]
    visible = [(e, url) for e, url in visible if url]
    under = [url for e, url in visible if path == url or (not e.exact and path.startswith(url))]
    current = max(under, key=len) if under else None
    groups = []
    for layer, label in LAYERS.items():
        links = [Link(str(e.label), url, url == current) for e, url in visible if e.layer == layer]
        if links:
            groups.append(Group(layer, str(label), links, layer in DIRECT_LAYERS and len(links) == 1))
    return groups


def breadcrumbs(user, path: str) -> list[Link]:
    """Layer › entry for the page at ``path`` (the entry whose URL is the longest prefix of the path)."""
    for group in menu(user, path):
        for link in group.links:
            if link.current:
                page = Link(link.label, link.url, link.url == path)
                return [page] if group.direct else [Link(group.label, "", False), page]
    return []


def signature(user) -> str:
    """Which entries ``user`` may see, as a short string: part of the key of any page cache shared by viewers."""
    return "".join("1" if e.visible(user) else "0" for e in entries())
