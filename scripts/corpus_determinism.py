#!/usr/bin/env python3
"""Corpus mode gives the same output for any number of threads.

Runs `check --corpus --format jsonl` with -j1 and -j2 on
1. WCXB main texts and raw views together (../shared/corpus; the raw view of a page is
   often a near duplicate of its main text, so there are hundreds of clusters),
2. the 20,000 documents with 1,000 injected near duplicates of
   scripts/eval_corpus_duplicates.py, with the default and the looser profile,
and compares the outputs byte for byte.

    python3 scripts/corpus_determinism.py [--bin target/release/copylint]
"""
import argparse
import gzip
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_synth  # noqa: E402
import eval_corpus_duplicates as dup  # noqa: E402


def run(binary, args, cwd):
    out = subprocess.run([binary, *args], cwd=cwd, capture_output=True)
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr.decode())
    return out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/copylint")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    corpus = corpus_synth.default_corpus()
    print("| input | profile | findings | -j1 sha256 | -j2 sha256 | same |")
    print("|---|---|---:|---|---|---|")
    failed = False
    with tempfile.TemporaryDirectory() as work:
        shutil.copy(os.path.join(corpus, "wcxb.jsonl"), work)
        with gzip.open(os.path.join(corpus, "wcxb.raw.jsonl.gz"), "rb") as src, \
                open(os.path.join(work, "wcxb.raw.jsonl"), "wb") as dst:
            shutil.copyfileobj(src, dst)
        rng = random.Random(2026)
        docs = dup.build(20000, 0.05, rng, corpus_synth.paragraphs(corpus))
        with open(os.path.join(work, "docs.jsonl"), "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps({k: d[k] for k in ("id", "url", "text")}, ensure_ascii=False) + "\n")
        cases = [("wcxb.jsonl + wcxb.raw.jsonl, every rule", "", ["wcxb.jsonl", "wcxb.raw.jsonl"])]
        for name, config in dup.PROFILES.items():
            cases.append(("20,000 documents, 5% near duplicates", config, ["docs.jsonl"]))
        for label, config, inputs in cases:
            cfg = os.path.join(work, "copylint.toml")
            with open(cfg, "w") as f:
                f.write(config)
            outs = [run(binary, ["--config", cfg, "check", "--corpus", f"-j{j}", "--format", "jsonl", *inputs], work)
                    for j in (1, 2)]
            same = outs[0] == outs[1]
            failed |= not same
            profile = "looser" if config else "default"
            h = [hashlib.sha256(o).hexdigest()[:16] for o in outs]
            n = outs[0].count(b"\n")
            dups = outs[0].count(b'"rule":"duplicate-document"')
            print(f"| {label} | {profile} | {n} ({dups} duplicate-document) | {h[0]} | {h[1]} | {'yes' if same else 'NO'} |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
