#!/usr/bin/env python3
"""Precision and volume of the typography rules on the English main texts of the corpus.

    scripts/eval_typography.py                 # table: findings, docs, per 1,000 docs, precision
    scripts/eval_typography.py --show RULE     # print the sample of RULE with context, for labelling
    scripts/eval_typography.py --all RULE      # print every finding of RULE
    scripts/eval_typography.py --candidates    # every dash between two letters, flagged or not
    scripts/eval_typography.py --view raw      # the same on another view of the pages

The English main texts (`<source>.jsonl`, field `text`) are written one file per page to
target/eval-typography/docs/<source>/<id>.txt (with `--view raw|trafilatura|gold`, the
other views of the same pages to docs-<view>/, for rules too rare in the main texts to
sample); a page counts as English when at least 8%
of its words are common English function words and they outnumber German, French,
Spanish, Nordic and Polish ones two to one (the `lang` attribute is often missing or
wrong). copylint runs once on that directory with only the typography rules selected.

For each rule a random sample (seed 7, SAMPLE findings, default 40, at most 3 from one
page) is drawn; the verdicts
read for it live in scripts/eval_typography_labels.tsv (rule, file, line, column, TP|FP,
note). Precision is TP / (TP + FP) over the labelled findings of the sample; findings not
yet labelled are counted as `unlabelled`.
"""
import argparse
import collections
import glob
import gzip
import json
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.environ.get("CORPUS", os.path.join(ROOT, "..", "..", "shared", "corpus"))
if not os.path.isdir(CORPUS):
    CORPUS = "/work/shared/corpus"
OUT = os.path.join(ROOT, "target", "eval-typography")
LABELS = os.path.join(HERE, "eval_typography_labels.tsv")
RULES = [
    "dash-in-compound",
    "double-dash",
    "inconsistent-dash",
    "inconsistent-quotes",
    "unbalanced-quotes",
    "ellipsis",
]
SEED = 7

EN = set("the of and to a in is that for it with as was on be by this are at from or an have not but you your we our".split())
OTHER = set(
    "der die das und ist nicht mit von den zu sich auf für eine ein les des est une pour dans qui pas sur "
    "el la los las que por una con para del se är och att det på av er og til jest nie się na oraz że do".split()
)


def english(text):
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 10:
        return False
    en = sum(w in EN for w in words) / len(words)
    other = sum(w in OTHER for w in words) / len(words)
    return en >= 0.08 and en > 2 * other


def build_docs(view):
    docs = os.path.join(OUT, "docs" if view == "main" else f"docs-{view}")
    stamp = os.path.join(OUT, f".built-{view}")
    if os.path.exists(stamp):
        return docs, int(open(stamp).read())
    n = 0
    pattern = {"main": "*.jsonl", "raw": "*.raw.jsonl.gz", "trafilatura": "*.trafilatura.jsonl.gz", "gold": "wcxb.gold.jsonl.gz"}[view]
    for path in sorted(glob.glob(os.path.join(CORPUS, pattern))):
        with (open(path, encoding="utf-8") if view == "main" else gzip.open(path, "rt", encoding="utf-8")) as f:
            for line in f:
                rec = json.loads(line)
                text = rec.get("text") or ""
                if not text or not english(text):
                    continue
                d = os.path.join(docs, rec.get("source") or os.path.basename(path).split(".")[0])
                os.makedirs(d, exist_ok=True)
                name = re.sub(r"[^\w.-]", "_", rec["id"])[:120] + ".txt"
                with open(os.path.join(d, name), "w", encoding="utf-8") as out:
                    out.write(text)
                n += 1
    with open(stamp, "w") as f:
        f.write(str(n))
    return docs, n


def run(docs):
    binary = os.path.join(ROOT, "target", "release", "copylint")
    known = {m["name"] for m in json.loads(subprocess.run([binary, "rules", "--format", "json"], capture_output=True, text=True).stdout)}
    rules = [r for r in RULES if r in known]
    p = subprocess.run(
        [binary, "check", "--isolated", "--quiet", "--format", "json", "--select", ",".join(rules), docs],
        capture_output=True,
        text=True,
        cwd=OUT,
    )
    if p.returncode not in (0, 1):
        sys.exit(f"copylint exited {p.returncode}: {p.stderr[:300]}")
    out = json.loads(p.stdout)
    return out["diagnostics"] if isinstance(out, dict) else out


def rel(path):
    return os.path.relpath(os.path.join(OUT, path), OUT)


def context(d, width=90):
    path = os.path.join(OUT, d["path"])
    text = open(path, encoding="utf-8").read().split("\n")
    line = text[d["line"] - 1] if d["line"] - 1 < len(text) else ""
    col = d["column"] - 1
    lo = max(0, col - width)
    return line[lo:col] + "⟦" + line[col : col + max(1, min(60, d["end_column"] - d["column"] if d["end_line"] == d["line"] else 60))] + "⟧" + line[col + max(1, d["end_column"] - d["column"]) if d["end_line"] == d["line"] else col + 60 :][:width]


def sample(diags, rule, n, per_doc=3):
    """A random sample of n findings, at most per_doc from one document, so that one
    page with a hundred `--` does not stand for the whole corpus."""
    found = sorted((d for d in diags if d["rule"] == rule), key=lambda d: (rel(d["path"]), d["line"], d["column"]))
    rng = random.Random(f"{SEED}:{rule}")
    rng.shuffle(found)
    taken, per = [], collections.Counter()
    for d in found:
        if per[d["path"]] < per_doc:
            taken.append(d)
            per[d["path"]] += 1
        if len(taken) == n:
            break
    return sorted(taken, key=lambda d: (rel(d["path"]), d["line"], d["column"]))


def load_labels():
    labels = {}
    if os.path.exists(LABELS):
        for line in open(LABELS, encoding="utf-8"):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            rule, path, ln, col, verdict = parts[:5]
            labels[(rule, path, int(ln), int(col))] = verdict
    return labels


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--show")
    ap.add_argument("--all")
    ap.add_argument("--candidates", action="store_true",
                    help="every dash between two letters (what dash-in-compound decides on), flagged or not")
    ap.add_argument("--sample", type=int, default=int(os.environ.get("SAMPLE", 40)))
    ap.add_argument("--view", default="main", choices=["main", "raw", "trafilatura", "gold"],
                    help="main texts (default); all visible text (raw), trafilatura's extraction or WCXB's "
                    "ground truth, for rules too rare in the main texts to sample")
    args = ap.parse_args()
    docs, ndocs = build_docs(args.view)
    diags = run(docs)
    if args.candidates:
        flagged = {(d["path"], d["line"]) for d in diags if d["rule"] == "dash-in-compound"}
        dash = re.compile(r"([^\W\d_][\w'’-]*)([\u2012\u2013\u2014\u2015\u2212])([^\W\d_][\w'’-]*)")
        for path in sorted(glob.glob(os.path.join(docs, "*", "*.txt"))):
            for n, line in enumerate(open(path, encoding="utf-8"), 1):
                for m in dash.finditer(line):
                    if m.group(2) == "\u2014" and not re.match(r"(?i)(ex|self|non|anti|co|pre|post|semi|multi)$", m.group(1)):
                        continue  # closed em dashes between clauses: thousands, none flagged
                    mark = "FLAGGED" if (os.path.abspath(path), n) in {(os.path.abspath(os.path.join(OUT, p)), l) for p, l in flagged} else "-"
                    print(f"{mark}\t{os.path.relpath(path, docs)}:{n}\t{line[max(0, m.start() - 40):m.end() + 30].strip()!r}")
        return
    if args.all or args.show:
        rule = args.all or args.show
        items = [d for d in diags if d["rule"] == rule] if args.all else sample(diags, rule, args.sample)
        labels = load_labels()
        for d in items:
            key = (rule, rel(d["path"]), d["line"], d["column"])
            print(f"{labels.get(key, '??')}\t{rule}\t{key[1]}\t{d['line']}\t{d['column']}\t{d['message']}")
            print(f"      {context(d)!r}")
            for lab in d["labels"][:2]:
                print(f"      label {lab['line']}:{lab['column']} {lab['message']}")
        return
    labels = load_labels()
    by_rule = collections.defaultdict(list)
    for d in diags:
        by_rule[d["rule"]].append(d)
    print(f"{ndocs} English {args.view} texts from {CORPUS}")
    print(f"{'rule':22} {'findings':>8} {'docs':>6} {'per 1k docs':>11} {'sampled':>7} {'TP':>4} {'FP':>4} {'unlab.':>6} {'precision':>9}")
    for rule in RULES:
        found = by_rule.get(rule, [])
        smp = sample(diags, rule, args.sample)
        verdicts = [labels.get((rule, rel(d["path"]), d["line"], d["column"])) for d in smp]
        tp, fp = verdicts.count("TP"), verdicts.count("FP")
        unl = sum(v is None for v in verdicts)
        prec = f"{100 * tp / (tp + fp):.0f}%" if tp + fp else "-"
        ndoc = len({d["path"] for d in found})
        print(f"{rule:22} {len(found):8} {ndoc:6} {1000 * len(found) / ndocs:11.1f} {len(smp):7} {tp:4} {fp:4} {unl:6} {prec:>9}")


if __name__ == "__main__":
    main()
