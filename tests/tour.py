"""What every page must hold to in a real browser, checked the same way on each page of the tour.

At 390 px and 1,400 px: no sideways overflow; no serious or critical axe-core violation (axe-core vendored under
tests/vendor, injected into the page); nothing loaded from another host; no 4xx/5xx answer; and text in the page's other
language marked with ``lang`` (Chinese on an English page, runs of English words on a Chinese page).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WIDTHS = (390, 1400)

_PROBLEMS_JS = r"""
const lang = document.documentElement.lang || "";
const english = lang.startsWith("en");
const out = {overflow: null, hosts: [], status: null, unmarked: []};
const doc = document.documentElement;
if (doc.scrollWidth > window.innerWidth + 1) {
  const wide = [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(".table-responsive, .overflow-auto, pre"))
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && e.className.baseVal === undefined ? "." + String(e.className).split(" ").join(".") : ""));
  out.overflow = {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, widest: wide};
}
for (const r of performance.getEntriesByType("resource")) {
  try { if (new URL(r.name).origin !== location.origin) out.hosts.push(r.name); } catch (e) {}
}
const nav = performance.getEntriesByType("navigation")[0];
out.status = nav ? nav.responseStatus : null;
const cjk = /[\u3400-\u9fff\uf900-\ufaff]/;
const englishRun = /[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){3,}/;
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.nodeValue.trim();
  const parent = node.parentElement;
  if (!text || !parent || parent.closest("script, style, code, kbd, samp, pre, [hidden], .visually-hidden")) continue;
  const marked = parent.closest("[lang]");
  const marking = marked ? marked.getAttribute("lang") : lang;
  const foreign = english ? cjk.test(text) && !marking.startsWith("zh")
                          : englishRun.test(text) && !cjk.test(text) && !marking.startsWith("en");
  if (foreign) out.unmarked.push(text.slice(0, 80));
  if (out.unmarked.length >= 5) break;
}
return out;
"""

_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(r => done(r.violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))));
"""


@dataclass
class PageReport:
    url: str
    width: int
    problems: list[str] = field(default_factory=list)


def check_page(browser, url: str, width: int) -> PageReport:
    """Open ``url`` at ``width`` px and list everything on it that breaks the rules above."""
    browser.set_window_size(width, 900)
    browser.get(url)
    report = PageReport(url, width)
    found = browser.execute_script(_PROBLEMS_JS)
    if found["status"] and found["status"] >= 400:
        report.problems.append(f"answered {found['status']}")
    if found["overflow"]:
        report.problems.append(f"overflows sideways: {found['overflow']}")
    for host in found["hosts"]:
        report.problems.append(f"loads from another host: {host}")
    for text in found["unmarked"]:
        report.problems.append(f"foreign-language text without lang: {text!r}")
    browser.execute_script(AXE)
    browser.set_script_timeout(60)
    for violation in browser.execute_async_script(_AXE_RUN):
        report.problems.append(f"axe {violation['impact']} {violation['id']}: {violation['help']} at {violation['nodes']}")
    return report


def tour(browser, base: str, paths: list[str]) -> list[PageReport]:
    """Every path at both widths; the reports that found something."""
    return [r for path in paths for width in WIDTHS if (r := check_page(browser, base + path, width)).problems]
