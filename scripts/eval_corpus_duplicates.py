#!/usr/bin/env python3
"""duplicate-document: recall and false pairs on 20,000 documents with 5% injected near
duplicates.

19,000 base documents are made of real paragraphs (scripts/corpus_synth.py); 1,000 near
duplicates of random base documents are added at random places, each with random word
edits of 3-10% of its words (substitutions, deletions, insertions of corpus words), a
changed headline, and 1-3 lines of site boilerplate added. A finding is a true pair when
the document and the first document it names come from the same base document.

Reports recall overall, by edit rate and by the pair's exact 5-gram Jaccard similarity
(from `copylint signatures`), and the false pairs, for the default settings and for a
looser profile given in a config file.

    python3 scripts/eval_corpus_duplicates.py [--bin target/release/copylint]
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_synth  # noqa: E402

BOILERPLATE = [
    "Share this article",
    "Sign up for our newsletter",
    "Follow us on Twitter",
    "Advertisement",
    "Read more: our coverage of the story",
    "© 2025 News Network. All rights reserved.",
]
PROFILES = {
    "default (5-grams, 14×8, J ≥ 0.8)": "",
    "looser (3-grams, 20×5, J ≥ 0.5)": "[rules.duplicate-document]\nshingle-words = 3\nbands = 20\nrows = 5\nmin-similarity = 0.5\n",
}


def edit(text, rate, vocabulary, rng):
    lines = text.split("\n\n")
    out = []
    for line in lines:
        words = line.split(" ")
        new = []
        for w in words:
            r = rng.random()
            if r < rate / 3:
                new.append(rng.choice(vocabulary))  # substitution
            elif r < 2 * rate / 3:
                continue  # deletion
            elif r < rate:
                new += [w, rng.choice(vocabulary)]  # insertion
            else:
                new.append(w)
        out.append(" ".join(new))
    return "\n\n".join(out)


def build(n, share, rng, pool):
    base_n = n - int(n * share)
    docs = list(corpus_synth.documents(pool, base_n, 1000, rng))
    for i, d in enumerate(docs):
        d["family"] = i
    vocabulary = [w for p in rng.sample(pool, 2000) for w in p.split()]
    copies = []
    for k in range(n - base_n):
        src = rng.randrange(base_n)
        rate = rng.uniform(0.03, 0.10)
        body = docs[src]["text"].split("\n\n", 1)[1]
        text = f"{' '.join(rng.choice(pool).split()[:9])}\n\n{edit(body, rate, vocabulary, rng)}"
        text += "\n\n" + "\n\n".join(rng.sample(BOILERPLATE, rng.randint(1, 3)))
        copies.append({"id": f"copy{k}", "url": f"https://mirror{k % 50}.example/{k}", "text": text,
                       "family": src, "rate": rate})
    for c in copies:
        docs.insert(rng.randrange(len(docs) + 1), c)
    return docs


def jaccard(a, b):
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a or b else 1.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/copylint")
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--share", type=float, default=0.05)
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    rng = random.Random(2026)
    pool = corpus_synth.paragraphs(corpus_synth.default_corpus())
    docs = build(args.docs, args.share, rng, pool)
    family = {d["id"]: d["family"] for d in docs}
    copies = {d["id"]: d for d in docs if "rate" in d}
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "docs.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps({k: d[k] for k in ("id", "url", "text")}, ensure_ascii=False) + "\n")
        sigs = subprocess.run([binary, "--isolated", "signatures", "docs.jsonl"], cwd=work,
                              capture_output=True, text=True, check=True).stdout
        shingles = {}
        for line in sigs.splitlines():
            s = json.loads(line)
            shingles[s["doc"].split(":", 1)[1]] = s["shingles"]
        base_of = {d["family"]: d["id"] for d in docs if "rate" not in d}
        true_j = {cid: jaccard(shingles[cid], shingles[base_of[c["family"]]]) for cid, c in copies.items()}
        print(f"{len(docs)} documents, {len(copies)} injected near duplicates "
              f"(edit rate 3-10%, new headline, 1-3 boilerplate lines)\n")
        js = sorted(true_j.values())
        print(f"5-gram Jaccard of injected pairs: min {js[0]:.2f}, median {js[len(js) // 2]:.2f}, "
              f"max {js[-1]:.2f}; ≥ 0.8: {sum(j >= 0.8 for j in js)}, ≥ 0.5: {sum(j >= 0.5 for j in js)}\n")
        for name, config in PROFILES.items():
            cfg = os.path.join(work, "copylint.toml")
            with open(cfg, "w") as f:
                f.write(config)
            start = time.time()
            out = subprocess.run([binary, "--config", cfg, "check", "--corpus", "--select",
                                  "duplicate-document", "--format", "jsonl", "docs.jsonl"],
                                 cwd=work, capture_output=True, text=True)
            elapsed = time.time() - start
            # A copy is found when it is in its base document's cluster (either may come
            # first in the input); a pair of documents of different bases is false.
            clusters = {}
            false_pairs = []
            findings = 0
            for line in out.stdout.splitlines():
                d = json.loads(line)
                findings += 1
                first = d["message"].rsplit("docs.jsonl:", 1)[1]
                rid = d["record"]
                clusters[rid] = first
                if family[rid] != family[first]:
                    j = jaccard(shingles[rid], shingles[first])
                    false_pairs.append((rid, first, d["message"], j))
            found = {}
            for cid, c in copies.items():
                base = base_of[c["family"]]
                if clusters.get(cid, cid) == clusters.get(base, base):
                    found[cid] = True
            hit = [cid for cid in copies if cid in found]
            print(f"### {name}: {elapsed:.1f} s\n")
            print(f"recall {len(hit)}/{len(copies)} = {len(hit) / len(copies):.3f}; "
                  f"false pairs {len(false_pairs)} (of which under the 5-gram similarity 0.8: "
                  f"{sum(j < 0.8 for *_, j in false_pairs)}); findings {findings}\n")
            print("| edit rate | pairs | found | recall | median Jaccard |")
            print("|---|---:|---:|---:|---:|")
            buckets = collections.defaultdict(list)
            for cid, c in copies.items():
                buckets[min(int(c["rate"] * 100), 9)].append(cid)
            for b in sorted(buckets):
                ids = buckets[b]
                med = sorted(true_j[i] for i in ids)[len(ids) // 2]
                n = sum(i in found for i in ids)
                print(f"| {b}–{b + 1}% | {len(ids)} | {n} | {n / len(ids):.2f} | {med:.2f} |")
            print()
            print("| pair Jaccard | pairs | found | recall |")
            print("|---|---:|---:|---:|")
            for lo, hi in [(0, 0.3), (0.3, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 1.01)]:
                ids = [i for i in copies if lo <= true_j[i] < hi]
                n = sum(i in found for i in ids)
                print(f"| {lo:.1f}–{min(hi, 1):.1f} | {len(ids)} | {n} | {n / len(ids) if ids else 0:.2f} |")
            print()
            for rid, first, message, j in false_pairs[:5]:
                print(f"- false pair: {rid} → {first}: {message} (5-gram Jaccard {j:.2f})")
            print()


if __name__ == "__main__":
    main()
