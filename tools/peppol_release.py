"""Move the Peppol rule set to a release of Peppol BIS Billing 3.0 (Peppol 规则集换版工具).

Reads the release's Schematron for UBL, ``rules/sch/PEPPOL-EN16931-UBL.sch`` of OpenPEPPOL/peppol-bis-invoice-3 at
the release's tag, and compares what OpenFTZ takes from it as data with the project's copies:

- the Peppol rules' ids, severities (``flag``) and messages → ``data/einvoice/peppol-rules.tsv``;
- the restricted code lists the Peppol rules read (the Schematron's ``let`` lists and the profile 01 type code
  lists of P0100/P0101) → ``data/einvoice/codelists/peppol-*.txt``;
- the release number (the Schematron's "Last update: … release X.Y.Z") → the header of each of those files;
- the Peppol rules OpenFTZ implements (``openftz.einvoice.rules``) against the Schematron's PEPPOL-* asserts.

Without ``--write`` it prints the differences and exits 1 if there are any; with ``--write`` it rewrites the data
files. The rules themselves (their expressions) are code: a changed assert is read and implemented by hand, see
``docs/einvoice-rulesets.md``. The national rules (NO-R, DK-R, …) of the same Schematron are not part of the set.

    git --git-dir=<peppol-bis-invoice-3 mirror> show v3.0.19:rules/sch/PEPPOL-EN16931-UBL.sch > /tmp/peppol.sch
    .venv/bin/python tools/peppol_release.py /tmp/peppol.sch            # what differs
    .venv/bin/python tools/peppol_release.py /tmp/peppol.sch --write    # take the release's data
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "einvoice"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
SOURCE = "OpenPEPPOL peppol-bis-invoice-3, rules/sch/PEPPOL-EN16931-UBL.sch (release {release})"

# code list file → (what it is, where it comes from in the Schematron: a ``let`` name or the assert whose test
# lists the codes)
LISTS = {
    "peppol-iso4217": ("ISO 4217 currency codes as Peppol BIS 3.0 restricts them (PEPPOL-EN16931-CL007)", "let", "ISO4217"),
    "peppol-mime": ("IANA media types allowed for attached documents (PEPPOL-EN16931-CL001)", "let", "MIMECODE"),
    "peppol-uncl2005": ("UNCL 2005 invoice period description codes (PEPPOL-EN16931-CL006)", "let", "UNCL2005"),
    "peppol-uncl5189": ("UNCL 5189 allowance reason codes as Peppol BIS 3.0 lists them (PEPPOL-EN16931-CL002)", "let", "UNCL5189"),
    "peppol-uncl7161": ("UNCL 7161 D.16B charge reason codes as Peppol BIS 3.0 lists them (PEPPOL-EN16931-CL003)", "let", "UNCL7161"),
    "peppol-eas": ("Electronic Address Identifier Scheme codes as Peppol BIS 3.0 lists them (PEPPOL-EN16931-CL008)", "let", "eaid"),
    "peppol-invoice-type-01": ("Invoice type codes allowed in Peppol billing profile 01 (PEPPOL-EN16931-P0100)", "assert", "PEPPOL-EN16931-P0100"),
    "peppol-creditnote-type-01": ("Credit note type codes allowed in Peppol billing profile 01 (PEPPOL-EN16931-P0101)", "assert", "PEPPOL-EN16931-P0101"),
}
_TOKENS = re.compile(r"tokenize\('([^']*)'")


def read_schematron(path: Path) -> tuple[str, list[tuple[str, str, str]], dict[str, list[str]]]:
    """(release, [(rule id, severity, message)] in the Schematron's order, {code list file: codes})."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    comments = " ".join(c.text or "" for c in tree.getroot().itersiblings(preceding=True) if isinstance(c, etree._Comment))
    found = re.search(r"release\s+(\d+\.\d+\.\d+)", comments)
    if found is None:
        raise SystemExit(f"{path}: no 'release X.Y.Z' in the comment before the schema")
    rules = [(a.get("id"), a.get("flag"), " ".join("".join(a.itertext()).split()))
             for a in tree.iter(f"{SCH}assert") if a.get("id", "").startswith("PEPPOL-")]
    lets = {let.get("name"): let.get("value") for let in tree.iter(f"{SCH}let")}
    tests = {a.get("id"): a.get("test") for a in tree.iter(f"{SCH}assert")}
    lists = {}
    for name, (_what, kind, key) in LISTS.items():
        expression = lets.get(key) if kind == "let" else tests.get(key)
        tokens = _TOKENS.search(expression or "")
        if tokens is None:
            raise SystemExit(f"{path}: no code list found for {key}")
        lists[name] = tokens.group(1).split()
    return found.group(1), rules, lists


def rules_text(release: str, rules: list[tuple[str, str, str]]) -> str:
    head = ("# Peppol BIS Billing 3.0 rules: id, severity (fatal|warning), the official message.\n"
            f"# Source: {SOURCE.format(release=release)}.\n")
    return head + "".join(f"{rid}\t{severity}\t{message}\n" for rid, severity, message in rules)


def list_text(release: str, name: str, codes: list[str]) -> str:
    what = LISTS[name][0]
    return (f"# {what}\n# Source: {SOURCE.format(release=release)}, the restricted code lists of Peppol BIS Billing 3.0.\n"
            + "".join(f"{code}\n" for code in codes))


def implemented() -> set[str]:
    sys.path.insert(0, str(ROOT))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openftz.settings")
    from openftz.einvoice.rules import rules_of

    return {r.id for r in rules_of("peppol") if r.ruleset == "peppol"}


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("schematron", type=Path)
    args.add_argument("--write", action="store_true", help="rewrite the data files from the Schematron")
    opts = args.parse_args(argv)
    release, rules, lists = read_schematron(opts.schematron)
    wanted = {DATA / "peppol-rules.tsv": rules_text(release, rules)}
    wanted.update({DATA / "codelists" / f"{name}.txt": list_text(release, name, codes) for name, codes in lists.items()})
    differences = 0
    for path, text in wanted.items():
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old == text:
            continue
        differences += 1
        before = {line for line in old.splitlines() if line and not line.startswith("#")}
        after = {line for line in text.splitlines() if line and not line.startswith("#")}
        print(f"{path.relative_to(ROOT)}: {len(after - before)} added, {len(before - after)} removed")
        for line in sorted(after - before):
            print(f"  + {line}")
        for line in sorted(before - after):
            print(f"  - {line}")
        if opts.write:
            path.write_text(text, encoding="utf-8")
    if not opts.write:
        in_schematron = {rid for rid, _s, _m in rules}
        have = implemented()
        for rid in sorted(in_schematron - have):
            print(f"not implemented: {rid}")
            differences += 1
        for rid in sorted(have - in_schematron):
            print(f"implemented but not in release {release}: {rid}")
            differences += 1
    print(f"release {release}: {'written' if opts.write else ('up to date' if not differences else f'{differences} difference(s)')}")
    return 1 if differences and not opts.write else 0


if __name__ == "__main__":
    sys.exit(main())
