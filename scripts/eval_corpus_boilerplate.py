#!/usr/bin/env python3
"""site-boilerplate on real pages: precision and coverage.

1. Raw views (all visible text of each page) of the shared corpus, grouped by URL host:
   a flagged line is *outside the main text* when its fold is not a line of the page's
   main text (`<source>.jsonl`; for WCXB also its gold text) nor, for lines of 20+
   characters, inside it. precision = flagged outside / flagged; coverage = flagged
   outside / raw lines outside the main text, on the sites where the rule can fire
   (at least min-docs pages).
2. The seed's chrome on other texts: WCXB main texts spread over synthetic sites of
   5-1000 pages, each page wrapped in the seed's chrome (`Share this @internewscast.com`
   under the title and above `You May Also Like` with 4 of its 8 teaser lines, drawn at
   random). precision = flagged chrome / flagged, coverage = flagged chrome / chrome.

Also prints a random sample (seed 7) of flagged lines inside the main text, to read.

    python3 scripts/eval_corpus_boilerplate.py [--bin target/release/copylint]
"""
import argparse
import collections
import gzip
import json
import os
import random
import re
import subprocess
import tempfile
import unicodedata

SOURCES = ["wcxb", "trafilatura-eval", "mozilla-readability", "scrapinghub-aeb"]
SEED = "seeds/000_db6636acdd834bc4.txt"


def corpus_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    for c in [os.environ.get("CORPUS", ""), os.path.join(here, "../../shared/corpus"), "/work/shared/corpus"]:
        if c and os.path.isdir(c):
            return c
    raise SystemExit("the shared corpus is missing: set CORPUS")


QUOTES = str.maketrans({c: "'" for c in "\"`´‘’‚‛“”„‟‹›«»′″"} | {c: "-" for c in "‐‑‒–—―−"})


def fold(s):
    s = unicodedata.normalize("NFKC", s).translate(QUOTES).lower()
    s = re.sub(r"[\u200b-\u200f\u00ad\ufeff]", "", s)
    s = " ".join(s.split())
    return s.rstrip(".!?,;:… '\"").strip()


def read_jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run(binary, args, cwd):
    out = subprocess.run([binary, "--isolated", *args], cwd=cwd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def line_of(text, n):
    lines = text.split("\n")
    return lines[n - 1] if 0 < n <= len(lines) else ""


def raw_views(binary, corpus, work, sample_size):
    print("## 1. Raw views grouped by URL host (--group-by url)\n")
    main, gold = {}, {}
    for s in SOURCES:
        for r in read_jsonl(os.path.join(corpus, f"{s}.jsonl")):
            main[(s, r["id"])] = r["text"]
    for r in read_jsonl(os.path.join(corpus, "wcxb.gold.jsonl.gz")):
        gold[("wcxb", r["id"])] = r.get("text") or ""
    raw = {}
    paths = []
    for s in SOURCES:
        records = read_jsonl(os.path.join(corpus, f"{s}.raw.jsonl.gz"))
        path = os.path.join(work, f"{s}.raw.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
                raw[(s, r["id"])] = r
        paths.append(path)
    names = [os.path.basename(p) for p in paths]
    findings = run(binary, ["check", "--corpus", "--group-by", "url", "--select", "site-boilerplate",
                            "--format", "jsonl", *names], work)
    # The sites as copylint tells them (URL host, Wayback captures unwrapped).
    sigs = subprocess.run([binary, "--isolated", "signatures", "--group-by", "url", *names], cwd=work,
                          capture_output=True, text=True, check=True).stdout
    group = {}
    for line in sigs.splitlines():
        sig = json.loads(line)
        source = sig["input"].removesuffix(".raw.jsonl")
        group[(source, sig["doc"].split(":", 1)[1])] = sig["group"]

    def host(r):
        return group.get((r["source"], r["id"]))

    sites = collections.Counter(host(r) for r in raw.values() if host(r))
    folded_main = {}

    def inside(key, line):
        if key not in folded_main:
            texts = [main.get(key, "")] + ([gold[key]] if key in gold else [])
            lines = {fold(l) for t in texts for l in t.split("\n") if l.strip()}
            folded_main[key] = (lines, " ".join(fold(t) for t in texts))
        lines, whole = folded_main[key]
        f = fold(line)
        return f in lines or (len(f) >= 20 and f in whole)

    flagged = collections.defaultdict(set)
    for d in findings:
        source = d["path"].removesuffix(".raw.jsonl")
        flagged[(source, d["record"])].add(d["line"])
    per_site = collections.defaultdict(lambda: [0, 0, 0, 0])  # flagged, flagged outside, outside lines, lines
    inside_sample = []
    for key, r in raw.items():
        h = host(r)
        if not h or sites[h] < 2:
            continue
        lines = r["text"].split("\n")
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            out = not inside(key, line)
            s = per_site[h]
            s[3] += 1
            s[2] += out
            if n in flagged.get(key, ()):
                s[0] += 1
                s[1] += out
                if not out:
                    inside_sample.append((h, key[1], line))
    print(f"{len(findings)} findings on {len(flagged)} pages; sites with 2+ pages: "
          f"{sum(1 for c in sites.values() if c >= 2)}, with 5+: {sum(1 for c in sites.values() if c >= 5)}\n")
    print("| site | pages | flagged | outside main | precision | non-main lines | coverage |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total = [0, 0, 0, 0]
    for h, s in sorted(per_site.items(), key=lambda x: (-sites[x[0]], x[0])):
        if sites[h] < 5:
            continue
        for i in range(4):
            total[i] += s[i]
        print(f"| {h} | {sites[h]} | {s[0]} | {s[1]} | {s[1] / s[0] if s[0] else 0:.3f} | {s[2]} | {s[1] / s[2] if s[2] else 0:.3f} |")
    print(f"| **sites with 5+ pages** | | {total[0]} | {total[1]} | {total[1] / max(total[0], 1):.3f} | {total[2]} | {total[1] / max(total[2], 1):.3f} |")
    small = [0, 0, 0, 0]
    for h, s in per_site.items():
        if sites[h] < 5:
            for i in range(4):
                small[i] += s[i]
    print(f"| sites with 2-4 pages (below min-docs) | | {small[0]} | {small[1]} | - | {small[2]} | 0 |\n")
    rng = random.Random(7)
    sample = rng.sample(inside_sample, min(sample_size, len(inside_sample)))
    print(f"Flagged lines found in the main text: {len(inside_sample)}; a sample of {len(sample)} to read:\n")
    for h, rid, line in sample:
        print(f"- {h} {rid}: {line[:110]!r}")
    print()


def seed_chrome(binary, corpus, work, seed_path):
    print("## 2. The seed's chrome on WCXB main texts (synthetic sites)\n")
    seed = open(seed_path, encoding="utf-8").read().split("\n")
    share = seed[1]
    heading = seed[82]
    teasers = [seed[i] for i in range(84, 115, 2)]  # 8 headlines and 8 summaries
    pairs = [(teasers[i], teasers[i + 1]) for i in range(0, 16, 2)]
    texts = [r["text"] for r in read_jsonl(os.path.join(corpus, "wcxb.jsonl")) if r["text"].strip()]
    rng = random.Random(11)
    rng.shuffle(texts)
    sizes = [5, 10, 25, 50, 100, 300]
    sizes.append(len(texts) - sum(sizes))
    records, chrome = [], {}
    at = 0
    for s, size in enumerate(sizes):
        for j in range(size):
            body = texts[at].split("\n")
            at += 1
            picked = [p for p in rng.sample(pairs, 4)]
            lines = [body[0], share] + body[1:] + ["", share, heading, ""]
            for head, summary in picked:
                lines += [head, "", summary, ""]
            rid = f"s{s}-{j}"
            first_chrome = {2} | set(range(len(body) + 2, len(lines) + 1))
            chrome[rid] = {n for n in first_chrome if lines[n - 1].strip()}
            records.append({"id": rid, "url": f"https://site{s}.example/{j}", "text": "\n".join(lines)})
    path = os.path.join(work, "seed-chrome.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    findings = run(binary, ["check", "--corpus", "--select", "site-boilerplate", "--format", "jsonl",
                            "seed-chrome.jsonl"], work)
    by_site = collections.defaultdict(lambda: [0, 0, 0, 0])  # flagged, flagged chrome, chrome, other flagged
    others = []
    text_of = {r["id"]: r["text"] for r in records}
    for rid, lines in chrome.items():
        by_site[rid.split("-")[0]][2] += len(lines)
    for d in findings:
        rid = d["record"]
        s = by_site[rid.split("-")[0]]
        s[0] += 1
        if d["line"] in chrome[rid]:
            s[1] += 1
        else:
            s[3] += 1
            others.append((rid, line_of(text_of[rid], d["line"])))
    print("| site | pages | flagged | chrome flagged | precision | chrome lines | coverage |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total = [0, 0, 0]
    for s, size in enumerate(sizes):
        f, c, ch, _ = by_site[f"s{s}"]
        total = [total[0] + f, total[1] + c, total[2] + ch]
        print(f"| site{s} | {size} | {f} | {c} | {c / f if f else 0:.3f} | {ch} | {c / ch if ch else 0:.3f} |")
    print(f"| **all** | {sum(sizes)} | {total[0]} | {total[1]} | {total[1] / max(total[0], 1):.3f} | {total[2]} | {total[1] / max(total[2], 1):.3f} |\n")
    counted = collections.Counter(line for _, line in others)
    print(f"Flagged lines that are not the seed's chrome: {len(others)} ({len(counted)} distinct):")
    for line, n in counted.most_common(15):
        print(f"- {n} × {line[:100]!r}")
    print()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/copylint")
    ap.add_argument("--sample", type=int, default=40)
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    corpus = corpus_dir()
    with tempfile.TemporaryDirectory() as work:
        raw_views(binary, corpus, work, args.sample)
        seed_chrome(binary, corpus, work, SEED)


if __name__ == "__main__":
    main()
