#!/usr/bin/env python3
"""Precision and recall of the word rules (joined-words, repeated-word, misspelling) on
the shared corpus's English main texts.

    scripts/words_eval.py findings            # counts per rule and severity, per 1,000 docs
    scripts/words_eval.py sample RULE [N]     # a seeded random sample of findings to read
    scripts/words_eval.py precision RULE      # precision from the labels in scripts/labels/
    scripts/words_eval.py inject [N]          # recall of joined-words on injected lost spaces

English = at least 30 words of which at least 15% are English function words (the same
test as `words::english_blocks`, on the whole text). Every document is written to
target/words-eval/docs/ as one .txt file and checked with target/release/copylint
(build it first: `cargo build --release`). Without the corpus the script says so and
exits 0.
"""
import glob
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.environ.get("CORPUS", os.path.join(HERE, "..", "..", "shared", "corpus"))
if not os.path.isdir(CORPUS):
    CORPUS = os.path.join(HERE, "..", "shared", "corpus")
BIN = os.path.join(HERE, "target", "release", "copylint")
WORK = os.path.join(HERE, "target", "words-eval")
LABELS = os.path.join(HERE, "scripts", "labels")
RULES = ["joined-words", "repeated-word", "misspelling"]

FUNCTION = set("""a about after against all also am an and any are as at be because been
before being between both but by can could did do does during each either for from had
has have he her hers him his how i if in into is it its may me might must my neither no
nor not of off on onto or our ours over said says shall she should so than that the their
theirs them then there these they this those through to under until upon us was we were
what when where which while who whom whose why will with within without would you your
yours""".split())
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def english_docs():
    docs = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.jsonl"))):
        source = os.path.basename(path)[: -len(".jsonl")]
        with open(path, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                text = r.get("text") or ""
                words = WORD.findall(text)
                if len(words) < 30:
                    continue
                share = sum(1 for w in words if w.lower() in FUNCTION) / len(words)
                if share >= 0.15:
                    docs.append((f"{source}--{r['id']}", text))
    return docs


def write_docs(docs, directory):
    os.makedirs(directory, exist_ok=True)
    for name, text in docs:
        target = os.path.join(directory, name.replace("/", "_") + ".txt")
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)


def check(directory, rules=None):
    rules = rules or RULES
    p = subprocess.run(
        [BIN, "check", "--isolated", "--quiet", "--format", "json", "--select", ",".join(rules), directory],
        capture_output=True, text=True,
    )
    if p.returncode not in (0, 1):
        sys.exit(f"copylint failed: {p.stderr[:500]}")
    out = json.loads(p.stdout or "[]")
    return out["diagnostics"] if isinstance(out, dict) else out


def corpus_findings():
    docs = english_docs()
    directory = os.path.join(WORK, "docs")
    if not os.path.isdir(directory) or len(os.listdir(directory)) != len(docs):
        write_docs(docs, directory)
    return docs, directory, check(directory)


def context(path, d, width=60):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    b = text.encode("utf-8")
    start, end = d["span"]["start"], d["span"]["end"]
    before = b[max(0, start - width):start].decode("utf-8", "replace").replace("\n", "⏎")
    hit = b[start:end].decode("utf-8", "replace")
    after = b[end:end + width].decode("utf-8", "replace").replace("\n", "⏎")
    return f"{before}[[{hit}]]{after}"


def key_of(d):
    return f"{os.path.basename(d['path'])}:{d['span']['start']}"


def cmd_findings():
    docs, _, found = corpus_findings()
    n = len(docs)
    by = Counter((d["rule"], d["severity"]) for d in found)
    docs_with = defaultdict(set)
    for d in found:
        docs_with[d["rule"]].add(d["path"])
    print(f"English main texts: {n} documents")
    print(f"{'rule':<16} {'severity':<8} {'findings':>8} {'per 1,000 docs':>15} {'docs':>6}")
    for rule in RULES:
        for sev in ("warning", "info"):
            c = by.get((rule, sev), 0)
            print(f"{rule:<16} {sev:<8} {c:>8} {1000 * c / n:>15.1f}")
        print(f"{rule:<16} {'all':<8} {sum(by.get((rule, s), 0) for s in ('warning', 'info')):>8} "
              f"{1000 * sum(by.get((rule, s), 0) for s in ('warning', 'info')) / n:>15.1f} {len(docs_with[rule]):>6}")


def cmd_sample(rule, n):
    _, _, found = corpus_findings()
    found = sorted((d for d in found if d["rule"] == rule), key=key_of)
    random.Random(6).shuffle(found)
    for d in found[:n]:
        print(f"{key_of(d)}\t{d['severity']}\t{d['message']}\t{context(d['path'], d)}")


def load_labels(rule):
    path = os.path.join(LABELS, f"{rule}.tsv")
    labels = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                parts = line.rstrip("\n").split("\t")
                labels[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")
    return labels


def cmd_precision(rule):
    _, _, found = corpus_findings()
    labels = load_labels(rule)
    table = defaultdict(Counter)
    unlabelled = 0
    for d in found:
        if d["rule"] != rule:
            continue
        label = labels.get(key_of(d))
        if label is None:
            unlabelled += 1
            continue
        table[d["severity"]][label[0]] += 1
    print(f"{rule}: labels from scripts/labels/{rule}.tsv (tp = real defect, fp = not)")
    print(f"{'severity':<8} {'read':>5} {'tp':>4} {'fp':>4} {'precision':>10}")
    for sev in ("warning", "info"):
        c = table[sev]
        read = c["tp"] + c["fp"]
        prec = f"{100 * c['tp'] / read:.1f}%" if read else "-"
        print(f"{sev:<8} {read:>5} {c['tp']:>4} {c['fp']:>4} {prec:>10}")
    if unlabelled:
        print(f"({unlabelled} findings not labelled)")


# `<word of 4+ letters> <function word>`: the join a lost space after a link makes.
JOINABLE = re.compile(r"(?<![\w.@#/-])([A-Za-z]{4,}) (is|was|has|had|and|the|of|to|in|on|at|for|with|by|as|that|said|says|will|would|are|were)(?![\w'’@.-])")


def cmd_inject(n):
    docs, _, found = corpus_findings()
    flagged = {os.path.basename(d["path"]) for d in found if d["rule"] == "joined-words"}
    clean = [(name, text) for name, text in docs if name + ".txt" not in flagged]
    rng = random.Random(6)
    rng.shuffle(clean)
    directory = os.path.join(WORK, "inject")
    if os.path.isdir(directory):
        for f in os.listdir(directory):
            os.remove(os.path.join(directory, f))
    injected = {}
    out = []
    for name, text in clean:
        if len(out) == n:
            break
        spots = [m for m in JOINABLE.finditer(text)]
        if not spots:
            continue
        m = rng.choice(spots)
        space = m.start(2) - 1
        new = text[:space] + text[space + 1:]
        offset = len(new[:space].encode("utf-8"))
        injected[name + ".txt"] = (offset, m.group(1) + m.group(2))
        out.append((name, new))
    write_docs(out, directory)
    found = check(directory, ["joined-words"])
    hits = {"warning": 0, "info": 0}
    for d in found:
        base = os.path.basename(d["path"])
        want = injected.get(base)
        if want and d["span"]["start"] <= want[0] <= d["span"]["end"]:
            hits[d["severity"]] += 1
            injected[base] = None
    missed = [v[1] for v in injected.values() if v]
    total = len(out)
    print(f"injected lost spaces: {total} documents, one each")
    print(f"found at warning: {hits['warning']} ({100 * hits['warning'] / total:.1f}%)")
    print(f"found at info:    {hits['info']}")
    print(f"missed: {len(missed)}: {', '.join(sorted(missed))}")
    others = [d for d in found if injected.get(os.path.basename(d["path"]), 1) is not None
              and not (os.path.basename(d["path"]) in injected)]
    print(f"other findings in these documents: {len(found) - hits['warning'] - hits['info']}")


def main():
    global RULES
    if not glob.glob(os.path.join(CORPUS, "*.jsonl")):
        print(f"corpus not found at {CORPUS}: nothing to measure")
        return
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    known = {r["name"] for r in json.loads(subprocess.run(
        [BIN, "rules", "--isolated", "--format", "json"], capture_output=True, text=True).stdout)}
    RULES = [r for r in RULES if r in known]
    args = sys.argv[1:] or ["findings"]
    if args[0] == "findings":
        cmd_findings()
    elif args[0] == "sample":
        cmd_sample(args[1], int(args[2]) if len(args) > 2 else 150)
    elif args[0] == "precision":
        cmd_precision(args[1])
    elif args[0] == "inject":
        cmd_inject(int(args[1]) if len(args) > 1 else 200)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
