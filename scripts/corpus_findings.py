#!/usr/bin/env python3
"""Runs copylint rules over views of ../shared/corpus and returns their findings with
the page they come from. Shared by scripts/eval_mojibake.py and
scripts/eval_consistency.py; usable on its own:

    python3 scripts/corpus_findings.py --rules mojibake --views main,raw

Each record's `text` becomes one .txt file in a temporary directory; copylint checks
the directory once (`--select RULES --format json`), and findings are mapped back to
(view, source, id, lang).
"""
import argparse
import glob
import gzip
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
CORPUS = os.environ.get("CORPUS", os.path.join(ROOT, "..", "..", "shared", "corpus"))
if not os.path.isdir(CORPUS):
    CORPUS = os.path.join(ROOT, "..", "shared", "corpus")

VIEWS = {
    "main": "{source}.jsonl",
    "raw": "{source}.raw.jsonl.gz",
    "trafilatura": "{source}.trafilatura.jsonl.gz",
}


def sources():
    return sorted(
        os.path.basename(p)[: -len(".jsonl")] for p in glob.glob(os.path.join(CORPUS, "*.jsonl"))
    )


def records(view):
    """Yields (source, record) for every page of a view."""
    for source in sources():
        path = os.path.join(CORPUS, VIEWS[view].format(source=source))
        if not os.path.exists(path):
            continue
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                yield source, json.loads(line)


def binary():
    path = os.path.join(ROOT, "target", "release", "copylint")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return path


def run(rules, views, keep=None, config=None):
    """Returns (documents, findings): documents maps a file name to its metadata and
    text; findings are copylint's JSON findings with a `doc` key added."""
    if not os.path.isdir(CORPUS):
        sys.exit(f"corpus not found at {CORPUS}")
    bin_ = binary()
    docs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for view in views:
            for source, rec in records(view):
                if keep and not keep(view, source, rec):
                    continue
                name = f"{view}/{source}/{rec['id']}.txt"
                path = os.path.join(tmp, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                text = rec.get("text") or ""
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                docs[name] = {
                    "view": view,
                    "source": source,
                    "id": rec["id"],
                    "lang": (rec.get("lang") or "").lower()[:2],
                    "text": text,
                }
        cmd = [bin_, "check", "--quiet", "--format", "json", "--select", ",".join(rules), "."]
        cmd[2:2] = ["--config", config] if config else ["--isolated"]
        p = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
        if p.returncode not in (0, 1):
            sys.exit(f"copylint exited {p.returncode}: {p.stderr[:500]}")
        out = json.loads(p.stdout or "[]")
    findings = out["diagnostics"] if isinstance(out, dict) else out
    for d in findings:
        d["doc"] = os.path.normpath(d["path"])
    return docs, findings


def line_of(text, line):
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def context(doc, d, width=70):
    """The finding's text with some context, on one line."""
    text = doc["text"].encode("utf-8")
    s, e = d["span"]["start"], d["span"]["end"]
    before = text[max(0, s - width) : s].decode("utf-8", "replace")
    hit = text[s:e].decode("utf-8", "replace")
    after = text[e : e + width].decode("utf-8", "replace")
    return (before + "[[" + hit + "]]" + after).replace("\n", " ⏎ ")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", required=True)
    ap.add_argument("--views", default="main")
    args = ap.parse_args()
    docs, findings = run(args.rules.split(","), args.views.split(","))
    for d in findings:
        print(d["doc"], d["line"], d["rule"], d["message"], "|", context(docs[d["doc"]], d))
