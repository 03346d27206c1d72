#!/usr/bin/env python3
"""Drop/keep agreement of copylint's quality filters with datatrove's, the reference.

    python3 -m venv /tmp/dt && /tmp/dt/bin/pip install 'datatrove[processing]' spacy
    cargo build --release
    /tmp/dt/bin/python scripts/quality_agreement.py            # 500 pages, both views
    /tmp/dt/bin/python scripts/quality_agreement.py --pages 100 --show 20

Samples pages of ../shared/corpus (seeded), takes each page's main text (<source>.jsonl)
and raw view (<source>.raw.jsonl.gz), runs datatrove's GopherQualityFilter,
GopherRepetitionFilter, C4QualityFilter and FineWebQualityFilter (default settings,
English) on every text, and `copylint explain-drop --format json` on the same texts, and
prints the agreement of the verdicts per filter and view, then every disagreement with
both sides' reasons and numbers. Without datatrove (or the corpus) it prints why and
exits 0.
"""
import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FILTERS = ["gopher-quality", "gopher-repetition", "c4-quality", "fineweb-quality"]


def datatrove_values(text):
    """Every statistic of the four filters as datatrove's code computes it (its own
    helpers, its formulas), keyed like copylint's checks: (filter, reason) -> value.
    The filters return at their first failing check; here every statistic is computed,
    and C4's line loop goes on past a "lorem ipsum" or "{" line, as copylint's does."""
    import re

    import numpy as np
    from datatrove.pipeline.filters.c4_filters import (
        CITATION_REGEX, ELLIPSIS, END_PUNCTUATION, POLICY_SUBSTRINGS)
    from datatrove.pipeline.filters.gopher_quality_filter import STOP_WORDS
    from datatrove.pipeline.filters.gopher_repetition_filter import (
        find_all_duplicate, find_duplicates, find_top_duplicate, get_n_grams)
    from datatrove.utils.text import (
        PUNCTUATION_SET, TERMINAL_PUNCTUATION, split_into_sentences, split_into_words)

    v = {}
    g, r, c, f = FILTERS
    words = split_into_words(text)
    n = len(words)
    real = [w for w in words if any(ch not in PUNCTUATION_SET for ch in w)]
    v[g, "gopher_short_doc"] = v[g, "gopher_long_doc"] = len(real)
    if real:
        v[g, "gopher_below_avg_threshold"] = v[g, "gopher_above_avg_threshold"] = float(
            np.mean([len(w) for w in real]))
    if n:
        v[g, "gopher_too_many_hashes"] = text.count("#") / n
        v[g, "gopher_too_many_ellipsis"] = (text.count("...") + text.count("…")) / n
        v[g, "gopher_below_alpha_threshold"] = sum(any(ch.isalpha() for ch in w) for w in words) / n
    lines = text.splitlines()
    if lines:
        v[g, "gopher_too_many_bullets"] = sum(
            s.lstrip().startswith("•") or s.lstrip().startswith("-") for s in lines) / len(lines)
        v[g, "gopher_too_many_end_ellipsis"] = sum(
            s.rstrip().endswith("...") or s.rstrip().endswith("…") for s in lines) / len(lines)
    v[g, "gopher_enough_stop_words"] = len(set(STOP_WORDS).intersection(set(words)))

    if not text:
        v[r, "empty"] = 0
    else:
        paragraphs = re.split(r"\n{2,}", text.strip())
        d, chars = find_duplicates(paragraphs)
        v[r, "dup_para_frac"], v[r, "dup_para_char_frac"] = d / len(paragraphs), chars / len(text)
        pieces = re.split("\n+", text)
        d, chars = find_duplicates(pieces)
        v[r, "dup_line_frac"], v[r, "dup_line_char_frac"] = d / len(pieces), chars / len(text)
        for k in (2, 3, 4):
            grams = get_n_grams(words, k)
            if grams:
                v[r, f"top_{k}_gram"] = find_top_duplicate(grams) / len(text)
        for k in range(5, 11):
            v[r, f"duplicated_{k}_n_grams"] = find_all_duplicate(words, k) / len(text)

    sentences = lorem = curly = 0
    for line in text.splitlines():
        line = line.strip()
        ws = line.split()
        if any(len(w) > 1000 for w in ws):
            continue
        line = CITATION_REGEX.sub("", line)
        if not line.endswith(END_PUNCTUATION) or line.endswith(ELLIPSIS):
            continue
        if len(ws) < 3:
            continue
        low = line.lower()
        lorem += "lorem ipsum" in low
        if "javascript" in low:
            continue
        curly += "{" in line
        if any(p in low for p in POLICY_SUBSTRINGS):
            continue
        sentences += len(split_into_sentences(line))
    v[c, "lorem_ipsum"], v[c, "curly_bracket"], v[c, "too_few_sentences"] = lorem, curly, sentences

    fl = [line for line in text.split("\n") if line.strip() != ""]
    if not fl:
        v[f, "empty"] = 0
    else:
        v[f, "line_punct_ratio"] = sum(1 for line in fl if line.endswith(tuple(TERMINAL_PUNCTUATION))) / len(fl)
        v[f, "short_line_ratio"] = sum(1 for line in fl if len(line) <= 30) / len(fl)
        v[f, "char_dup_ratio"] = find_duplicates(fl)[1] / len(text.replace("\n", ""))
        v[f, "list_ratio"] = text.count("\n") / len(words)
    return v


def main():
    ap = argparse.ArgumentParser()
    # ../shared/corpus from the main checkout, ../../shared/corpus from a worktree.
    default_corpus = os.environ.get("CORPUS") or next(
        (p for p in (os.path.join(ROOT, "..", "shared", "corpus"),
                     os.path.join(ROOT, "..", "..", "shared", "corpus")) if os.path.isdir(p)),
        os.path.join(ROOT, "..", "shared", "corpus"),
    )
    ap.add_argument("--corpus", default=default_corpus)
    ap.add_argument("--pages", type=int, default=500)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--bin", default=None, help="copylint binary (default: target/release)")
    ap.add_argument("--show", type=int, default=50, help="disagreements to print per filter")
    args = ap.parse_args()

    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters import (
            C4QualityFilter,
            FineWebQualityFilter,
            GopherQualityFilter,
            GopherRepetitionFilter,
        )
        from datatrove.utils.text import split_into_words

        split_into_words("probe")  # needs spaCy for English
    except Exception as e:  # ImportError, or spaCy missing behind datatrove
        print(f"skipped: datatrove's filters cannot run here ({type(e).__name__}: {e}).")
        print("install them with: pip install 'datatrove[processing]' spacy")
        return 0
    from importlib.metadata import version

    if not os.path.isdir(args.corpus):
        print(f"skipped: no corpus at {args.corpus}")
        return 0
    binary = args.bin or os.path.join(ROOT, "target", "release", "copylint")
    if not os.path.exists(binary):
        print(f"no copylint binary at {binary}: run `cargo build --release` or pass --bin")
        return 1

    # The pages: a seeded sample of the main-text records, and the same pages' raw view.
    main, raw = {}, {}
    for name in sorted(os.listdir(args.corpus)):
        path = os.path.join(args.corpus, name)
        if name.endswith(".jsonl"):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    main[(r["source"], r["id"])] = r["text"] or ""
        elif name.endswith(".raw.jsonl.gz"):
            with gzip.open(path, "rt", encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    raw[(r["source"], r["id"])] = r["text"] or ""
    keys = sorted(k for k in main if k in raw)
    pages = random.Random(args.seed).sample(keys, min(args.pages, len(keys)))
    texts = {}
    for source, pid in pages:
        texts[f"{source}/{pid}/main"] = main[(source, pid)]
        texts[f"{source}/{pid}/raw"] = raw[(source, pid)]

    # copylint
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for key, text in texts.items():
            f.write(json.dumps({"id": key, "text": text}) + "\n")
        tmp = f.name
    try:
        out = subprocess.run(
            [binary, "explain-drop", "--isolated", "--format", "json", tmp],
            capture_output=True, text=True, check=True,
        ).stdout
    finally:
        os.unlink(tmp)
    ours = {}
    for line in out.splitlines():
        r = json.loads(line)
        ours[r["record"]] = {f["filter"]: f for f in r["filters"]}

    # datatrove
    makers = {
        "gopher-quality": GopherQualityFilter,
        "gopher-repetition": GopherRepetitionFilter,
        "c4-quality": C4QualityFilter,
        "fineweb-quality": FineWebQualityFilter,
    }
    theirs, values = {}, {}
    for key, text in texts.items():
        theirs[key] = {}
        for name, make in makers.items():
            result = make().filter(Document(text=text, id=key))
            theirs[key][name] = (True, "") if result is True else (False, result[1])
        values[key] = datatrove_values(text)

    print(
        f"{len(pages)} pages (seed {args.seed}) x 2 views = {len(texts)} texts;"
        f" datatrove {version('datatrove')}, spaCy {version('spacy')}; copylint {binary}"
    )
    print()
    print(f"{'filter':<18} {'view':<5} {'texts':>5} {'agree':>6} {'rate':>7}"
          f" {'dt drops':>9} {'cl drops':>9} {'only dt':>8} {'only cl':>8}")
    disagreements = defaultdict(list)
    for name in FILTERS:
        for view in ("main", "raw"):
            keys = [k for k in texts if k.endswith("/" + view)]
            agree = dt_drop = cl_drop = only_dt = only_cl = 0
            for k in keys:
                kept, reason = theirs[k][name]
                cl = ours[k][name]
                dt_dropped, cl_dropped = not kept, cl["dropped"]
                dt_drop += dt_dropped
                cl_drop += cl_dropped
                if dt_dropped == cl_dropped:
                    agree += 1
                else:
                    only_dt += dt_dropped
                    only_cl += cl_dropped
                    disagreements[name].append((k, reason, cl))
            print(f"{name:<18} {view:<5} {len(keys):>5} {agree:>6} {100 * agree / len(keys):>6.1f}%"
                  f" {dt_drop:>9} {cl_drop:>9} {only_dt:>8} {only_cl:>8}")
    # The reasons datatrove gives, for scale.
    print()
    for name in FILTERS:
        reasons = Counter(theirs[k][name][1] for k in texts if not theirs[k][name][0])
        print(f"datatrove {name} drop reasons: " + ", ".join(f"{r} {n}" for r, n in reasons.most_common()))
    # Every statistic, not only the verdicts: same value to 1e-9?
    print()
    print(f"{'filter':<18} {'statistics':>10} {'equal':>7} {'texts with a difference':>24}")
    value_diffs = defaultdict(list)
    for name in FILTERS:
        total = equal = 0
        texts_off = set()
        for k in texts:
            for check in ours[k][name]["checks"]:
                want = values[k].get((name, check["reason"]))
                got = check["value"]
                total += 1
                same = (want is None and got is None) or (
                    want is not None and got is not None and abs(want - got) <= 1e-9)
                equal += same
                if not same:
                    texts_off.add(k)
                    value_diffs[name].append((k, check["reason"], want, got))
        print(f"{name:<18} {total:>10} {equal:>7} {len(texts_off):>24}")
    for name in FILTERS:
        for k, reason, want, got in value_diffs[name][: args.show]:
            print(f"  {name} {k} {reason}: datatrove {want}, copylint {got}")

    for name in FILTERS:
        rows = disagreements[name]
        print(f"\n{name}: {len(rows)} disagreements")
        for k, reason, cl in rows[: args.show]:
            failing = [f"{c['check']} {c['value']:.4g} ({c['reason']})" for c in cl["checks"] if c["fails"]]
            near = [
                f"{c['check']} {c['value']:.4g} vs {c['threshold']}"
                for c in cl["checks"]
                if c["value"] is not None and c["threshold"]
                and abs(c["value"] - c["threshold"]) <= 0.02 * max(1.0, abs(c["threshold"]))
            ]
            print(f"  {k}: datatrove {'drops: ' + reason if reason else 'keeps'};"
                  f" copylint {'drops: ' + '; '.join(failing) if failing else 'keeps'}"
                  + (f" [near: {'; '.join(near)}]" if near and not failing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
