#!/usr/bin/env python3
"""Raw views repeated: a large corpus of real page chrome, for the memory of the block
counts. Writes WCXB's raw views (all visible text, ~210 distinct lines a page) `--times`
times, each copy with its own record ids, keeping the URLs (so each site has `--times`
times its pages).

    python3 scripts/corpus_raw_repeat.py --times 54 --out target/corpus-bench/raw54.jsonl
"""
import argparse
import gzip
import json
import os

import corpus_synth


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--times", type=int, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    path = os.path.join(corpus_synth.default_corpus(), "wcxb.raw.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        for k in range(args.times):
            for r in records:
                out.write(json.dumps({"id": f"{r['id']}-{k}", "url": r.get("url", ""), "text": r["text"]},
                                     ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
