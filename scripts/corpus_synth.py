#!/usr/bin/env python3
"""Synthetic corpora for corpus-mode measurements, made of real paragraphs.

Every document is a headline and 4-12 paragraphs drawn at random from the paragraphs of
the shared corpus's main texts (`<source>.jsonl`, 8 to 120 words each: a longer one
would make the documents that share it near duplicates), on sites of
`--site-size` documents. Paragraph-level reuse between documents is rare, so documents
are distinct, as in a crawl. Deterministic for a given `--seed`.

    python3 scripts/corpus_synth.py --docs 100000 --out target/corpus-bench/100k.jsonl
"""
import argparse
import glob
import json
import os
import random


def default_corpus():
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in [os.environ.get("CORPUS", ""), os.path.join(here, "../../shared/corpus"), "/work/shared/corpus"]:
        if candidate and os.path.isdir(candidate):
            return candidate
    raise SystemExit("the shared corpus is missing: set CORPUS")


def paragraphs(corpus):
    pool = []
    seen = set()
    for path in sorted(glob.glob(os.path.join(corpus, "*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            for p in json.loads(line)["text"].split("\n\n"):
                p = p.strip()
                if 8 <= len(p.split()) <= 120 and p not in seen:
                    seen.add(p)
                    pool.append(p)
    return pool


def documents(pool, n, site_size, rng):
    for i in range(n):
        parts = [" ".join(rng.choice(pool).split()[:10])]
        parts += rng.sample(pool, rng.randint(4, 12))
        site = i // site_size
        yield {"id": f"d{i}", "url": f"https://site{site}.example/{i}", "text": "\n\n".join(parts)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=default_corpus())
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--site-size", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pool = paragraphs(args.corpus)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        for doc in documents(pool, args.docs, args.site_size, rng):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
