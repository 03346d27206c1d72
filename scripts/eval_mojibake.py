#!/usr/bin/env python3
"""Precision of the `mojibake` rule on ../shared/corpus: every language, the main, raw
and trafilatura views.

    python3 scripts/eval_mojibake.py                 # table + sample + precision
    python3 scripts/eval_mojibake.py --sample 60     # a larger sample
    python3 scripts/eval_mojibake.py --sample-views main   # sample the main view only

Prints findings per view and source (and per 1,000 documents), then a random sample of
findings (fixed seed; at most 3 per document, so that one broken page does not fill the
sample) with their context. Each sampled finding is looked up in
scripts/eval_mojibake_labels.tsv (`doc<TAB>start<TAB>label<TAB>note`, label `tp` or `fp`),
written by reading the findings; unlabelled ones are printed as `??` for review.
Also lists candidates the rule left alone (a lead look-alike followed by a continuation
look-alike, the shape mojibake has), to check recall by eye: `--misses`.
"""
import argparse
import collections
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_findings as cf  # noqa: E402

LABELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "eval_mojibake_labels.tsv")
LEAD = "ÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóô"
CONT = "".join(chr(c) for c in range(0x80, 0xC0)) + "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
SHAPE = re.compile(f"[{re.escape(LEAD)}][{re.escape(CONT)}]+")


def load_labels():
    labels = {}
    if os.path.exists(LABELS):
        for line in open(LABELS, encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            doc, start, label, *note = line.rstrip("\n").split("\t")
            labels[(doc, int(start))] = (label, note[0] if note else "")
    return labels


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--views", default="main,raw,trafilatura")
    ap.add_argument("--sample-views", default=None, help="sample only these views")
    args = ap.parse_args()
    views = args.views.split(",")
    docs, findings = cf.run(["mojibake"], views)

    per = collections.defaultdict(lambda: [0, set(), 0])  # docs, docs with findings, findings
    for name, d in docs.items():
        per[(d["view"], d["source"])][0] += 1
    for f in findings:
        d = docs[f["doc"]]
        row = per[(d["view"], d["source"])]
        row[1].add(f["doc"])
        row[2] += 1
    print(f"{'view':<12} {'source':<20} {'docs':>6} {'flagged':>8} {'findings':>9} {'per 1k docs':>12}")
    totals = collections.defaultdict(lambda: [0, 0, 0])
    for (view, source), (n, flagged, count) in sorted(per.items()):
        print(f"{view:<12} {source:<20} {n:>6} {len(flagged):>8} {count:>9} {1000 * count / max(n, 1):>12.1f}")
        t = totals[view]
        t[0] += n
        t[1] += len(flagged)
        t[2] += count
    for view, (n, flagged, count) in totals.items():
        print(f"{view:<12} {'ALL':<20} {n:>6} {flagged:>8} {count:>9} {1000 * count / max(n, 1):>12.1f}")

    kinds = collections.Counter()
    for f in findings:
        kinds["fixable (safe)" if f["fix"] and f["fix"]["applicability"] == "safe" else
              "lost bytes, unsafe guess" if f["fix"] else "lost bytes, no fix"] += 1
    print("\nby kind:", dict(kinds))

    rng = random.Random(args.seed)
    pool = [f for f in findings
            if not args.sample_views or docs[f["doc"]]["view"] in args.sample_views.split(",")]
    shuffled = pool[:]
    rng.shuffle(shuffled)
    per_doc = collections.Counter()
    sample = []
    for f in shuffled:
        if per_doc[f["doc"]] >= 3:
            continue
        per_doc[f["doc"]] += 1
        sample.append(f)
        if len(sample) >= args.sample:
            break
    labels = load_labels()
    counts = collections.Counter()
    print(f"\nsample of {len(sample)} findings (seed {args.seed}, at most 3 per document):")
    for f in sample:
        label, note = labels.get((f["doc"], f["span"]["start"]), ("??", ""))
        counts[label] += 1
        print(f"{label:>3} {f['doc']}\t{f['span']['start']}\t{f['message'][:90]}")
        print(f"      {cf.context(docs[f['doc']], f, 50)}" + (f"  # {note}" if note else ""))
    judged = counts["tp"] + counts["fp"]
    if judged:
        print(f"\nprecision on the sample: {counts['tp']}/{judged} = {counts['tp'] / judged:.1%}"
              + (f" ({counts['??']} not labelled)" if counts["??"] else ""))

    if args.misses:
        flagged = {(f["doc"], f["span"]["start"]) for f in findings}
        print("\ncandidates left alone:")
        for name, d in sorted(docs.items()):
            text = d["text"]
            for m in SHAPE.finditer(text):
                start = len(text[: m.start()].encode("utf-8"))
                near = any((name, s) in flagged for s in range(start - 12, start + 1))
                if not near:
                    ctx = text[max(0, m.start() - 30) : m.end() + 20].replace("\n", " ⏎ ")
                    print(f"  {name} {d['lang'] or '-'}: {ctx!r}")


if __name__ == "__main__":
    main()
