"""The automatic aligner, scored against the reviewed crosswalk (figures printed at the end of the run)."""
from openftz.rulebook import align
from openftz.rulebook.overlay import load_overlay
from openftz.rulebook.services import LOCAL, NATIONAL, aligner_items


def test_aligner_against_the_reviewed_crosswalk(plans, report_figure):
    links = align.align(aligner_items(plans[LOCAL]), aligner_items(plans[NATIONAL]))
    reviewed = [(sh, sc) for sh, targets in load_overlay().crosswalk.items() for sc in targets]
    figures = align.precision_recall(((l.local, l.national) for l in links), reviewed)
    # the best proposal per Shanghai measure alone (what a reviewer sees first)
    best = {}
    for link in links:
        if link.local not in best or link.score > best[link.local].score:
            best[link.local] = link
    top1 = sum(1 for sh, link in best.items() if (sh, link.national) in set(reviewed)) / len(best)
    report_figure(
        f"aligner vs reviewed crosswalk: precision {figures['precision']:.3f}, recall {figures['recall']:.3f}, "
        f"F1 {figures['f1']:.3f} ({figures['agreed']} of {figures['proposed']} proposed links agree; "
        f"{figures['reviewed']} reviewed links); top-1 correct for {top1:.1%} of SH measures"
    )
    assert {link.local for link in links} == {m.id for m in plans[LOCAL].measures}  # every measure gets a proposal
    # A floor well under today's figures, so that a change that breaks the aligner is noticed.
    assert figures["precision"] >= 0.6 and figures["recall"] >= 0.6


def test_tfidf_cosine_basics():
    vectors = align.tfidf({"a": align.ngrams("电子提单"), "b": align.ngrams("电子提单"), "c": align.ngrams("劳动保护")})
    assert abs(align.cosine(vectors["a"], vectors["b"]) - 1) < 1e-9
    assert align.cosine(vectors["a"], vectors["c"]) == 0


def test_positions_within_chapters():
    items = align.with_positions([("a", "x", "甲"), ("b", "y", "甲"), ("c", "z", "甲"), ("d", "w", None)])
    assert [i.position for i in items] == [0.0, 0.5, 1.0, 0.5]


def test_precision_recall():
    figures = align.precision_recall([("a", "1"), ("b", "2")], [("a", "1"), ("b", "3"), ("c", "4")])
    assert figures["precision"] == 0.5 and abs(figures["recall"] - 1 / 3) < 1e-9
