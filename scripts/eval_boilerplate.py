#!/usr/bin/env python3
"""Measure `boilerplate-line` and `related-links-block` against the corpus's ground truth.

    scripts/eval_boilerplate.py                      # the table
    scripts/eval_boilerplate.py --sample 40 --seed 7 # plus 40 random findings per source/view, to read
    scripts/eval_boilerplate.py --list article       # every flagged line labelled "article"

Runs `copylint check --select <rules> --format json` once over every page of every source,
in two views: main (`<source>.jsonl`) and raw (`<source>.raw.jsonl.gz`, all visible text).
Each flagged line (every line from a finding's `line` to its `end_line`) gets a label:

* scrapinghub-aeb: the main text is a human-annotated article body. A flagged line of the
  main view is article text; a flagged raw line is chrome unless it is in the main text.
* mozilla-readability: the same, with Readability.js's expected output as the reference
  (a weaker one: Readability keeps some chrome).
* wcxb: chrome when it matches one of the page's `gold_without` snippets; else article
  when it is in WCXB's gold main content (`wcxb.gold.jsonl.gz`); else chrome.
* trafilatura-eval: chrome when it matches a `gold_without` snippet, article when it
  matches a `gold_with` snippet, else unknown (no full-text ground truth: read them).

"Is in" compares folded text (case, typography, markup and punctuation removed): equal to
a reference line, or, for lines of 40+ characters, contained in the reference text.

Columns: precision = chrome / (chrome + article) over flagged lines; recall = the share of
`gold_without` snippets that are a whole line of the raw view and that a finding covers;
per 1k = findings per 1,000 texts of that view.
"""

import argparse
import collections
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SOURCES = ["scrapinghub-aeb", "wcxb", "trafilatura-eval", "mozilla-readability"]
RULES = ["boilerplate-line", "related-links-block"]


def find_corpus():
    for candidate in [
        os.environ.get("CORPUS"),
        os.path.join(ROOT, "..", "shared", "corpus"),
        os.path.join(ROOT, "..", "..", "shared", "corpus"),
    ]:
        if candidate and os.path.isdir(candidate):
            return os.path.abspath(candidate)
    return None


def read_jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


FOLD_MAP = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def split_lines(text):
    """Lines as copylint numbers them: LF, CRLF and a lone CR each end a line."""
    return re.split(r"\r\n|\r|\n", text)


def fold(text):
    """Lowercase letters and digits only, single spaces: survives markdown and retyping."""
    text = unicodedata.normalize("NFKC", MD_LINK.sub(r"\1", text)).translate(FOLD_MAP).lower()
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


class Reference:
    """Folded lines and text of a reference view, for "is this line in it?"."""

    def __init__(self, texts):
        self.lines = set()
        joined = []
        for text in texts:
            for line in (text or "").split("\n"):
                f = fold(line)
                if f:
                    self.lines.add(f)
                    joined.append(f)
        self.text = "\n".join(joined)
        self.long_lines = [l for l in self.lines if len(l) >= 40]

    def __contains__(self, folded):
        if not folded:
            return False
        if folded in self.lines:
            return True
        if len(folded) >= 40:
            if folded in self.text:
                return True
            return any(l in folded for l in self.long_lines)
        return False


def snippet_match(folded, snippets):
    """A line matches a snippet when they are equal, or one contains the other and the
    shorter has 20+ characters (snippets are often cut from a longer line)."""
    for s in snippets:
        if not s:
            continue
        if folded == s:
            return True
        short, long_ = (folded, s) if len(folded) <= len(s) else (s, folded)
        if len(short) >= 20 and short in long_:
            return True
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "copylint"))
    ap.add_argument("--corpus", default=find_corpus())
    ap.add_argument("--rules", default=",".join(RULES))
    ap.add_argument("--sample", type=int, default=0, help="print N random findings per source and view")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--list", choices=["article", "chrome", "unknown"], help="print every flagged line with this label")
    ap.add_argument("--view", choices=["main", "raw"], help="with --sample/--list: only this view")
    ap.add_argument("--source", help="with --sample/--list: only this source")
    ap.add_argument("--keep", help="write the texts to this directory and keep them")
    args = ap.parse_args()
    if not args.corpus:
        print("corpus not found: set CORPUS=... or --corpus", file=sys.stderr)
        return 2
    if not os.path.exists(args.bin):
        print(f"{args.bin} not found: run `cargo build --release`", file=sys.stderr)
        return 2
    rules = args.rules.split(",")

    # ---- load the views ------------------------------------------------------------
    pages = {}  # (source, view) -> list of records
    gold = {}  # wcxb id -> gold record
    for source in SOURCES:
        main_path = os.path.join(args.corpus, f"{source}.jsonl")
        raw_path = os.path.join(args.corpus, f"{source}.raw.jsonl.gz")
        if not os.path.exists(main_path):
            continue
        pages[(source, "main")] = read_jsonl(main_path)
        if os.path.exists(raw_path):
            pages[(source, "raw")] = read_jsonl(raw_path)
    gold_path = os.path.join(args.corpus, "wcxb.gold.jsonl.gz")
    if os.path.exists(gold_path):
        gold = {r["id"]: r for r in read_jsonl(gold_path)}
    main_by_id = {(s, r["id"]): r for (s, v), recs in pages.items() if v == "main" for r in recs}

    # ---- run copylint once over every text ---------------------------------------------
    work = args.keep or tempfile.mkdtemp(prefix="eval_boilerplate.")
    files = {}  # relative path -> (source, view, record)
    for (source, view), recs in pages.items():
        d = os.path.join(work, source, view)
        os.makedirs(d, exist_ok=True)
        for i, r in enumerate(recs):
            rel = os.path.join(source, view, f"{i:05}.txt")
            with open(os.path.join(work, rel), "w", encoding="utf-8") as f:
                f.write(r.get("text") or "")
            files[rel] = (source, view, r)
    proc = subprocess.run(
        [args.bin, "check", "--isolated", "--quiet", "--select", ",".join(rules), "--format", "json", "."],
        cwd=work,
        capture_output=True,
        text=True,
    )
    if proc.returncode not in (0, 1):
        print(f"copylint exited {proc.returncode}: {proc.stderr[:500]}", file=sys.stderr)
        return 2
    findings = collections.defaultdict(list)
    for d in json.loads(proc.stdout or "[]"):
        rel = os.path.normpath(d["path"])
        findings[rel].append(d)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)

    # ---- label every flagged line ---------------------------------------------------------
    refs = {}

    def labeller(source, record):
        rid = record["id"]
        key = (source, rid)
        if key not in refs:
            if source in ("scrapinghub-aeb", "mozilla-readability"):
                main = main_by_id.get(key)
                refs[key] = ("ref", Reference([main["text"] if main else ""]), [], [])
            elif source == "wcxb":
                g = gold.get(rid, {})
                without = [fold(s) for s in g.get("gold_without") or []]
                refs[key] = ("ref", Reference([g.get("text") or ""]), without, [])
            else:
                main = main_by_id.get(key) or {}
                without = [fold(s) for s in main.get("gold_without") or []]
                with_ = [fold(s) for s in main.get("gold_with") or []]
                refs[key] = ("snippets", None, without, with_)
        kind, ref, without, with_ = refs[key]

        def label(view, line):
            f = fold(line)
            if snippet_match(f, without):
                return "chrome"
            if kind == "ref":
                if source == "scrapinghub-aeb" and view == "main":
                    return "article"
                return "article" if f in ref else "chrome"
            if snippet_match(f, with_):
                return "article"
            return "unknown"

        return label

    rows = collections.OrderedDict()
    flagged_lines = []  # (source, view, rule, label, record id, line number, text, finding)
    texts = collections.Counter()
    for rel, (source, view, record) in sorted(files.items()):
        label = labeller(source, record)
        lines = split_lines(record.get("text") or "")
        # WCXB also has listing, product, forum... pages, whose main content may well be
        # teasers or buttons: its article pages are counted apart as well.
        groups = [source]
        page_type = (main_by_id.get((source, record["id"])) or {}).get("page_type")
        if source == "wcxb" and page_type == "article":
            groups.append("wcxb (articles)")
        for group in groups:
            texts[(group, view)] += 1
        for d in findings.get(rel, []):
            for group in groups:
                rows.setdefault((group, view, d["rule"]), collections.Counter())["findings"] += 1
            for n in range(d["line"], d["end_line"] + 1):
                text = lines[n - 1] if 0 < n <= len(lines) else ""
                if not text.strip():
                    continue
                lab = label(view, text)
                for group in groups:
                    row = rows[(group, view, d["rule"])]
                    row[lab] += 1
                    row["lines"] += 1
                flagged_lines.append((source, view, d["rule"], lab, record["id"], n, text, d))

    # ---- recall on gold_without snippets that are whole raw lines ------------------------
    recall = {}
    for source in ("wcxb", "trafilatura-eval"):
        recs = pages.get((source, "raw"))
        if not recs:
            continue
        total = caught = 0
        for i, r in enumerate(recs):
            rel = os.path.join(source, "raw", f"{i:05}.txt")
            if source == "wcxb":
                snippets = gold.get(r["id"], {}).get("gold_without") or []
            else:
                snippets = (main_by_id.get((source, r["id"])) or {}).get("gold_without") or []
            if not snippets:
                continue
            by_fold = collections.defaultdict(list)
            for n, line in enumerate(split_lines(r.get("text") or ""), 1):
                by_fold[fold(line)].append(n)
            covered = set()
            for d in findings.get(rel, []):
                covered.update(range(d["line"], d["end_line"] + 1))
            for s in set(fold(s) for s in snippets):
                where = by_fold.get(s)
                if not s or not where:
                    continue
                total += 1
                caught += any(n in covered for n in where)
        recall[source] = (caught, total)

    def order(group):
        return [s for s in SOURCES + ["wcxb (articles)"]].index(group) if group in SOURCES + ["wcxb (articles)"] else 99

    # ---- the table ----------------------------------------------------------------------------
    print(f"copylint: {args.bin}\ncorpus: {args.corpus}\n")
    header = f"{'source':<20} {'view':<5} {'rule':<20} {'texts':>6} {'finds':>6} {'per 1k':>7} {'lines':>6} {'chrome':>6} {'article':>7} {'unknown':>7} {'precision':>9}"
    print(header)
    print("-" * len(header))
    for (source, view), n in sorted(texts.items(), key=lambda kv: (order(kv[0][0]), kv[0][1])):
        for rule in rules + ["(both)"]:
            if rule == "(both)":
                c = collections.Counter()
                for r in rules:
                    c.update(rows.get((source, view, r), collections.Counter()))
            else:
                c = rows.get((source, view, rule), collections.Counter())
            judged = c["chrome"] + c["article"]
            precision = f"{c['chrome'] / judged:.3f}" if judged else "-"
            per_k = 1000 * c["findings"] / n if n else 0
            print(
                f"{source:<20} {view:<5} {rule:<20} {n:>6} {c['findings']:>6} {per_k:>7.1f} {c['lines']:>6} "
                f"{c['chrome']:>6} {c['article']:>7} {c['unknown']:>7} {precision:>9}"
            )
    print()
    for source, (caught, total) in recall.items():
        share = f"{caught / total:.3f}" if total else "-"
        print(f"recall on {source} gold_without snippets that are whole raw lines: {caught}/{total} = {share}")

    # ---- reading ------------------------------------------------------------------------------
    def show(item):
        source, view, rule, lab, rid, n, text, d = item
        print(f"[{lab}] {source}/{view} {rid} line {n} {rule}: {d['message'][:90]}")
        print(f"    | {text[:200]}")

    selected = [
        x for x in flagged_lines if (not args.view or x[1] == args.view) and (not args.source or x[0] == args.source)
    ]
    if args.list:
        print(f"\n== every flagged line labelled {args.list} ==")
        for item in selected:
            if item[3] == args.list:
                show(item)
    if args.sample:
        rng = random.Random(args.seed)
        groups = collections.defaultdict(list)
        for item in selected:
            groups[(item[0], item[1])].append(item)
        for key in sorted(groups):
            # Sample findings, not lines: one line per finding (its first).
            firsts = {}
            for item in groups[key]:
                firsts.setdefault((item[4], item[7]["line"], item[2]), item)
            items = sorted(firsts.values(), key=lambda x: (x[4], x[5], x[2]))
            pick = rng.sample(items, min(args.sample, len(items)))
            print(f"\n== {len(pick)} of {len(items)} findings in {key[0]}/{key[1]} (seed {args.seed}) ==")
            for item in sorted(pick, key=lambda x: (x[4], x[5])):
                show(item)
    return 0


if __name__ == "__main__":
    sys.exit(main())
