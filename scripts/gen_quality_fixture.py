#!/usr/bin/env python3
"""Writes tests/fixtures/quality/spacy-words.jsonl: real lines of the corpus with the words
and sentence count datatrove gets for them (spaCy's English tokenizer and sentencizer), so
that a unit test pins copylint's port (`src/quality/words.rs`) to them.

    /tmp/dt/bin/python scripts/gen_quality_fixture.py   # a venv with datatrove[processing], spacy
"""
import glob
import gzip
import json
import os
import random
import re

from datatrove.utils.text import split_into_sentences, split_into_words

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
corpus = os.environ.get("CORPUS") or next(
    p for p in (os.path.join(ROOT, "..", "shared", "corpus"), os.path.join(ROOT, "..", "..", "shared", "corpus"))
    if os.path.isdir(p)
)
lines = []
for path in sorted(glob.glob(os.path.join(corpus, "*.jsonl"))):
    with open(path, encoding="utf-8") as f:
        lines += [l for r in f for l in json.loads(r)["text"].splitlines()]
for path in sorted(glob.glob(os.path.join(corpus, "*.raw.jsonl.gz"))):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines += [l for r in f for l in json.loads(r)["text"].splitlines()]
rng = random.Random(5)
# Lines with what the tokenizer has rules for (quotes, dots, hyphens, digits, symbols,
# addresses), and plain ones; short enough to read in a diff.
tricky = re.compile(r"['’\".…\-–—/:$%#@&()\[\]{}+]|\d|[^\x00-\x7f]")
pool = [l for l in set(lines) if 0 < len(l) <= 300]
pool.sort()
picked = rng.sample([l for l in pool if tricky.search(l)], 260) + rng.sample(pool, 40)
out = os.path.join(ROOT, "tests", "fixtures", "quality", "spacy-words.jsonl")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w", encoding="utf-8") as f:
    for line in picked:
        f.write(json.dumps({"text": line, "words": split_into_words(line),
                            "sentences": len(split_into_sentences(line.strip()))}, ensure_ascii=False) + "\n")
print(f"wrote {len(picked)} lines to {out}")
