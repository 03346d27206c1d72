#!/usr/bin/env python3
"""Precision of the `inconsistent-spelling` rule on the English main texts of
../shared/corpus.

    python3 scripts/eval_consistency.py                # table + sample + precision
    python3 scripts/eval_consistency.py --all          # every finding, for reading
    python3 scripts/eval_consistency.py --sample 60 --seed 3

English pages: `lang` starting with `en`, or no `lang` and English function words
making up at least 12% of the words. Prints findings per source and kind of variant
(and per 1,000 documents), then a random sample (fixed seed, at most 2 findings per
document) with context. Sampled findings are looked up in
scripts/eval_consistency_labels.tsv (`doc<TAB>start<TAB>label<TAB>note`, label `tp` or
`fp`), written by reading each finding in its document; unlabelled ones print `??`.
"""
import argparse
import collections
import os
import random
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_findings as cf  # noqa: E402

LABELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "eval_consistency_labels.tsv")
COMMON = set(
    "the and of to in is that for it was on with as are by this be at from have has not "
    "but or an they he she we you his her their will said were been which".split()
)


def english(rec_lang, text):
    if rec_lang:
        return rec_lang.startswith("en")
    words = re.findall(r"\w+", text[:20000])
    return bool(words) and sum(w.lower() in COMMON for w in words) >= 0.12 * len(words)


def kind_of(d, text):
    """The kind of variant a finding is about, from the two forms in its message."""
    m = re.match(r'"(.*?)" is used .*?beside "(.*?)"', d["message"]) or re.match(
        r'"(.*?)" is used .*?house style is "(.*?)"', d["message"])
    a, b = (m.group(1), m.group(2)) if m else ("", "")
    fold = lambda s: "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]\.?|[A-Z]{2,6}", a):
        return "acronym"
    if re.sub(r"[-\s\u2010-\u2013]", "", a).lower() == re.sub(r"[-\s\u2010-\u2013]", "", b).lower():
        return "hyphenation"
    if fold(a) == fold(b) and a != b:
        return "diacritic"
    return "us-uk"


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
    ap.add_argument("--all", action="store_true")
    args = ap.parse_args()
    docs, findings = cf.run(
        ["inconsistent-spelling"], ["main"], keep=lambda v, s, r: english(r.get("lang"), r.get("text") or "")
    )
    for f in findings:
        f["kind"] = kind_of(f, docs[f["doc"]]["text"])

    per = collections.Counter(d["source"] for d in docs.values())
    found = collections.Counter(docs[f["doc"]]["source"] for f in findings)
    flagged = collections.defaultdict(set)
    for f in findings:
        flagged[docs[f["doc"]]["source"]].add(f["doc"])
    print(f"{'source':<22} {'docs':>6} {'flagged':>8} {'findings':>9} {'per 1k docs':>12}")
    for source in sorted(per):
        n = per[source]
        print(f"{source:<22} {n:>6} {len(flagged[source]):>8} {found[source]:>9} {1000 * found[source] / n:>12.1f}")
    total = sum(per.values())
    print(f"{'ALL':<22} {total:>6} {sum(len(v) for v in flagged.values()):>8} {len(findings):>9} "
          f"{1000 * len(findings) / max(total, 1):>12.1f}")
    kinds = collections.Counter(f["kind"] for f in findings)
    print("\nby kind:", ", ".join(f"{k} {v} ({1000 * v / max(total, 1):.1f} per 1k docs)" for k, v in sorted(kinds.items())))

    labels = load_labels()
    if args.all:
        for f in sorted(findings, key=lambda f: (f["kind"], f["doc"], f["span"]["start"])):
            label, note = labels.get((f["doc"], f["span"]["start"]), ("??", ""))
            print(f"{label:>3} {f['kind']:<12} {f['doc']}\t{f['span']['start']}\t{f['message']}")
            print(f"      {cf.context(docs[f['doc']], f, 60)}" + (f"  # {note}" if note else ""))
        return

    rng = random.Random(args.seed)
    shuffled = findings[:]
    rng.shuffle(shuffled)
    per_doc = collections.Counter()
    sample = []
    for f in shuffled:
        if per_doc[f["doc"]] >= 2:
            continue
        per_doc[f["doc"]] += 1
        sample.append(f)
        if len(sample) >= args.sample:
            break
    counts = collections.Counter()
    by_kind = collections.defaultdict(collections.Counter)
    print(f"\nsample of {len(sample)} findings (seed {args.seed}, at most 2 per document):")
    for f in sample:
        label, note = labels.get((f["doc"], f["span"]["start"]), ("??", ""))
        counts[label] += 1
        by_kind[f["kind"]][label] += 1
        print(f"{label:>3} {f['kind']:<12} {f['doc']}\t{f['span']['start']}\t{f['message']}")
        print(f"      {cf.context(docs[f['doc']], f, 60)}" + (f"  # {note}" if note else ""))
    judged = counts["tp"] + counts["fp"]
    if judged:
        print(f"\nprecision on the sample: {counts['tp']}/{judged} = {counts['tp'] / judged:.1%}"
              + (f" ({counts['??']} not labelled)" if counts["??"] else ""))
        for kind, c in sorted(by_kind.items()):
            j = c["tp"] + c["fp"]
            if j:
                print(f"  {kind:<12} {c['tp']}/{j}")


if __name__ == "__main__":
    main()
