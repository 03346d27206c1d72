#!/usr/bin/env python3
"""Precision and recall of `duplicate-paragraph` on the real corpus.

    cargo build --release
    python3 scripts/eval_duplicates.py precision          # tables per source/view and page type
    python3 scripts/eval_duplicates.py sample --n 120     # findings to read, fixed seed
    python3 scripts/eval_duplicates.py sample --n 120 --seed S --exclude-labelled --context   # a fresh sample
    python3 scripts/eval_duplicates.py labels             # counts of the labels in scripts/data/
    python3 scripts/eval_duplicates.py labels --recheck --file F   # what the current rule still reports
    python3 scripts/eval_duplicates.py labels --file F --against G  # two readers of one sample agree?
    python3 scripts/eval_duplicates.py recall --n 200     # injected copies into clean texts
    python3 scripts/eval_duplicates.py html --save F      # findings on the pages' HTML
    python3 scripts/eval_duplicates.py html --sample-html --n 50 --seed S [--only-removed OLD_F]

Reads ../shared/corpus (or $CORPUS). English pages only: `lang` starting with "en", or
no `lang` on a source that is English (wcxb, scrapinghub-aeb, mozilla-readability).
Every run writes the texts it checks under target/eval-dup/ and runs the release binary
(or $COPYLINT_BIN) on them with `--select duplicate-paragraph --format json`.

What a change adds, to read: save the old build's findings, then sample the new ones:
    COPYLINT_BIN=OLD python3 scripts/eval_duplicates.py precision --save old.json
    python3 scripts/eval_duplicates.py sample --only-new old.json --n 30 --seed 7 --context
"""
import argparse
import collections
import glob
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.environ.get("CORPUS") or next(
    (p for p in (os.path.join(HERE, "..", "shared", "corpus"), os.path.join(HERE, "..", "..", "shared", "corpus"))
     if os.path.isdir(p)),
    os.path.join(HERE, "..", "shared", "corpus"),
)
BIN = os.environ.get("COPYLINT_BIN") or os.path.join(HERE, "target", "release", "copylint")
WORK = os.path.join(HERE, "target", "eval-dup")
LABELS = os.path.join(HERE, "scripts", "data", "duplicate_paragraph_labels.tsv")
ENGLISH_SOURCES = {"wcxb", "scrapinghub-aeb", "mozilla-readability"}


def english(rec, source):
    lang = (rec.get("lang") or "").lower()
    if lang:
        return lang.startswith("en")
    return source in ENGLISH_SOURCES


def load_main():
    """{(source, id): record} for English main-text records."""
    out = {}
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.jsonl"))):
        source = os.path.basename(path)[: -len(".jsonl")]
        with open(path, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                if english(rec, source) and rec.get("text"):
                    out[(source, rec["id"])] = rec
    return out


def load_raw(main):
    out = {}
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.raw.jsonl.gz"))):
        source = os.path.basename(path)[: -len(".raw.jsonl.gz")]
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                key = (source, rec["id"])
                if key in main and rec.get("text"):
                    out[key] = rec
    return out


def write_texts(name, texts):
    """texts: {relative path: text}. Returns the directory."""
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    for rel, text in texts.items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    return d


def run(d):
    p = subprocess.run(
        [BIN, "check", "--isolated", "--quiet", "--select", "duplicate-paragraph", "--format", "json", d],
        capture_output=True, text=True,
    )
    if p.returncode not in (0, 1):
        sys.exit(f"copylint failed ({p.returncode}): {p.stderr[:300]}")
    findings = json.loads(p.stdout) if p.stdout.strip() else []
    by_file = collections.defaultdict(list)
    for f in findings:
        by_file[os.path.relpath(f["path"], d)].append(f)
    return by_file


def kind(f):
    m = f["message"]
    if "sentence" in m.lower():
        return "sentence"
    first = f["labels"][0]["line"] if f["labels"] else 0
    near = "nearly" in m
    if "block on lines" in m:
        return "block" + ("-near" if near else "")
    # Adjacent: the first copy is the block just before (one blank line between).
    adjacent = f["line"] - first <= 2
    return ("adjacent" if adjacent else "echo") + ("-near" if near else "")


KINDS = ["adjacent", "adjacent-near", "echo", "echo-near", "block", "block-near", "sentence"]


def views(args):
    main = load_main()
    texts = {}
    for (source, id_), rec in main.items():
        texts[f"main/{source}/{id_}.txt"] = rec["text"]
    if not args.main_only:
        for (source, id_), rec in load_raw(main).items():
            texts[f"raw/{source}/{id_}.txt"] = rec["text"]
    d = write_texts("precision", texts)
    return main, texts, run(d)


def table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
    print(line(header))
    for r in rows:
        print(line(r))


def precision(args):
    main, texts, found = views(args)
    if args.save:
        # The findings of this binary, for `sample --only-new` after a change.
        with open(args.save, "w", encoding="utf-8") as f:
            json.dump({rel: [g["line"] for g in fs] for rel, fs in found.items()}, f)
    groups = collections.defaultdict(lambda: collections.Counter())
    for rel in texts:
        view, source, name = rel.split("/")
        id_ = name[:-4]
        keys = [(view, source)]
        if source == "wcxb":
            keys.append((view, "wcxb:" + main[(source, id_)].get("page_type", "?")))
        fs = found.get(rel, [])
        for k in keys:
            g = groups[k]
            g["pages"] += 1
            g["pages with findings"] += bool(fs)
            for f in fs:
                g[kind(f)] += 1
    header = ["view", "source / page type", "pages", "pages with findings"] + KINDS
    rows = [[v, s, g["pages"], g["pages with findings"]] + [g[k] for k in KINDS] for (v, s), g in sorted(groups.items())]
    table(rows, header)


def context(text, line, radius=0):
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def sample(args):
    main, texts, found = views(args)
    all_findings = [(rel, f) for rel in sorted(found) for f in found[rel]
                    if not args.view or rel.startswith(args.view + "/")]
    if args.exclude_labelled:
        # A fresh sample: no finding read before, in any labels file.
        seen = {where for path in sorted(glob.glob(os.path.join(os.path.dirname(LABELS), "duplicate_paragraph_labels*.tsv")))
                for where, *_ in read_labels(path)}
        all_findings = [(rel, f) for rel, f in all_findings if f"{rel}:{f['line']}" not in seen]
        print(f"# {len(all_findings)} findings not in any labels file")
    if args.only_new:
        # What a change added: findings the binary saved by `precision --save` lacked.
        with open(args.only_new, encoding="utf-8") as f:
            before = {rel: set(lines) for rel, lines in json.load(f).items()}
        all_findings = [(rel, f) for rel, f in all_findings if f["line"] not in before.get(rel, set())]
        print(f"# {len(all_findings)} findings new since {args.only_new}")
    rng = random.Random(args.seed)
    picked = rng.sample(all_findings, min(args.n, len(all_findings)))
    for k, (rel, f) in enumerate(picked):
        text = texts[rel]
        first = f["labels"][0]["line"] if f["labels"] else 0
        print(f"#{k}\t{rel}:{f['line']}\t{kind(f)}\t{f['message']}")
        # The copies themselves, from the findings' spans: for a repeated sentence the
        # sentence, not the start of its line.
        raw = text.encode("utf-8")
        copy = lambda span: raw[span["start"]:span["end"]].decode("utf-8", "replace")
        first_copy = copy(f["labels"][0]["span"]) if f["labels"] else context(text, first)
        print(f"  first {first}: {first_copy[:300]!r}")
        print(f"  later {f['line']}: {copy(f['span'])[:300]!r}")
        if args.context:
            # A few non-blank lines around each copy: what sits next to them tells a
            # section printed twice from a note the page repeats under every item.
            lines = text.split("\n")
            for at in dict.fromkeys([first, f["line"]]):
                if not at:
                    continue
                near = [n for n in range(max(1, at - 8), min(len(lines), at + 8) + 1) if lines[n - 1].strip()]
                before = [n for n in near if n < at][-3:]
                after = [n for n in near if n > at][:3]
                for n in before + [at] + after:
                    mark = ">" if n == at else " "
                    print(f"   {mark}{n:5} {lines[n - 1][:170]}")
                print("    -----")


def read_labels(path):
    """[(where, kind, label, note)] of a labels file."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t") + ["", ""]
            out.append((parts[0], parts[1], parts[2], parts[3]))
    return out


def labels(args):
    """Counts of a labels file (default: the first one read). With --recheck, runs the
    current binary on the labelled pages and says which labelled findings it still
    reports: the precision the current rule would have on that sample, and what a
    change dropped."""
    path = args.file or LABELS
    if not os.path.exists(path):
        sys.exit(f"no labels at {path}")
    rows = read_labels(path)
    if args.against:
        agreement(rows, read_labels(args.against))
        return
    if args.recheck:
        main = load_main()
        raw = load_raw(main)
        texts = {}
        for where, *_ in rows:
            rel = where.rsplit(":", 1)[0]
            view, source, name = rel.split("/")
            key = (source, name[:-4])
            rec = (main if view == "main" else raw).get(key)
            if rec:
                texts[rel] = rec["text"]
        found = run(write_texts("recheck", texts))
        lines = {rel: {f["line"] for f in fs} for rel, fs in found.items()}
        kept = [r for r in rows if int(r[0].rsplit(":", 1)[1]) in lines.get(r[0].rsplit(":", 1)[0], set())]
        dropped = [r for r in rows if r not in kept]
        real = sum(r[2] == "real" for r in kept)
        print(f"{len(rows)} labelled findings; still reported: {len(kept)}, of which {real} real "
              f"({100 * real / max(len(kept), 1):.1f}% precision); dropped: "
              f"{sum(r[2] == 'real' for r in dropped)} real, {sum(r[2] != 'real' for r in dropped)} not real")
        for r in dropped:
            print("  dropped", r[2], r[0], r[1], r[3])
        for r in kept:
            if r[2] != "real":
                print("  kept   ", r[2], r[0], r[1], r[3])
        return
    counts = collections.Counter()
    by_kind = collections.defaultdict(collections.Counter)
    for where, k, label, _ in rows:
        k = where.split("/")[0] + " " + k
        counts[label] += 1
        by_kind[k][label] += 1
    total = sum(counts.values())
    real = counts["real"]
    print(f"{total} findings read: {real} real repeats, {total - real} not ({100 * real / max(total, 1):.1f}% precision)")
    table([[k, sum(c.values()), c["real"], sum(c.values()) - c["real"]] for k, c in sorted(by_kind.items())],
          ["kind", "read", "real", "not real"])
    for label, n in counts.most_common():
        print(f"  {label}: {n}")


def agreement(first, second):
    """Two readers' labels of one sample, row by row (a place may hold several
    findings, so rows pair in order): how often they agree, each reader's precision,
    and the findings they label differently."""
    pending = collections.defaultdict(list)
    for where, kind, label, note in second:
        pending[(where, kind)].append((label, note))
    pairs = []
    for where, kind, label, note in first:
        other = pending[(where, kind)]
        if other:
            pairs.append((where, kind, label, note, *other.pop(0)))
    unpaired = len(first) - len(pairs)
    same = sum(a == b for _, _, a, _, b, _ in pairs)
    n = max(len(pairs), 1)
    print(f"{len(pairs)} findings read twice ({unpaired} unpaired): the readers agree on {same} "
          f"({100 * same / n:.1f}%)")
    for who, k in (("first", 2), ("second", 4)):
        real = sum(p[k] == "real" for p in pairs)
        print(f"  {who} reader: {real} real ({100 * real / n:.1f}%)")
    both = sum(p[2] == p[4] == "real" for p in pairs)
    print(f"  real for both: {both} ({100 * both / n:.1f}%)")
    for where, kind, a, note_a, b, note_b in pairs:
        if a != b:
            print(f"  differ {where} {kind}: {a} ({note_a}) / {b} ({note_b})")


# ---- recall --------------------------------------------------------------------------

CURLY = {"'": "’", '"': "”"}


def retype(text, rng):
    """The copy a scraper prints: quotes and dashes in the other style."""
    out = text
    if "’" in out or "“" in out or "”" in out or "‘" in out:
        out = out.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))
    elif "'" in out or '"' in out:
        out = re.sub(r"(?<=\w)'(?=\w)", "’", out)
        out = re.sub(r'"(\w)', r"“\1", out)
        out = re.sub(r'(\S)"', r"\1”", out)
    if re.search(r"\w-\w", out):
        out = re.sub(r"(?<=\w)-(?=\w)", "–", out, count=1)
    elif re.search(r"\w–\w", out):
        out = re.sub(r"(?<=\w)–(?=\w)", "-", out, count=1)
    if out == text and rng.random() < 0.5:
        out = text + "."  # the body copy of a caption gains a period
    return out


def change_word(text, rng):
    """A near copy the way scrapers make them, one word changed: a word dropped, two
    words run together (`White Houseis`), or a doubled letter."""
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if w.isalpha() and len(w) > 3]
    if not idx:
        return None
    i = rng.choice(idx)
    how = rng.choice(["drop", "join", "typo"])
    if how == "drop":
        del words[i]
    elif how == "join" and i + 1 < len(words):
        words[i : i + 2] = [words[i] + words[i + 1]]
    else:
        w = words[i]
        k = rng.randrange(1, len(w) - 1)
        words[i] = w[:k] + w[k] + w[k:]
    return " ".join(words)


def is_prose(block):
    """Sentence paragraphs: what the rule promises to catch when they recur, judged from
    outside the rule: 8+ words, starts with a capital or a quote, ends in `.` or `!`
    (before closing quotes), no list marker."""
    t = block.strip()
    words = t.split()
    if len(words) < 8 or re.match(r"^([-*+•|>]|\d+[.)])\s", t):
        return False
    if not (t[0].isupper() or t[0] in "\"'“‘"):
        return False
    return bool(re.search(r"[.!][\"'”’)]*$", t))


def recall(args):
    main = load_main()
    rng = random.Random(args.seed)
    keys = sorted(main)
    rng.shuffle(keys)
    # Clean texts: no finding of the rule, and at least 6 paragraphs of which 3 prose.
    candidates = []
    for key in keys:
        blocks = [b for b in main[key]["text"].split("\n") if b.strip()]
        prose = [b for b in blocks if is_prose(b)]
        if len(blocks) >= 6 and len(prose) >= 3:
            candidates.append(key)
        if len(candidates) >= args.n * 2:
            break
    d = write_texts("recall-clean", {f"{s}/{i}.txt": main[(s, i)]["text"] for s, i in candidates})
    dirty = run(d)
    clean = [k for k in candidates if f"{k[0]}/{k[1]}.txt" not in dirty][: args.n]
    cases = {}
    expect = {}
    for s, i in clean:
        lines = main[(s, i)]["text"].split("\n")
        prose_at = [n for n, b in enumerate(lines) if is_prose(b)]
        for mode in ("adjacent", "distant", "adjacent-near", "distant-near"):
            n = rng.choice(prose_at)
            block = lines[n]
            copy = retype(block, rng) if "near" not in mode else change_word(block, rng)
            if copy is None:
                continue
            new = list(lines)
            if mode.startswith("adjacent"):
                at = n + 1
            else:
                # In the body, as an echoed caption lands: after a prose paragraph at
                # least two paragraphs further on (else at the end).
                later = [m for m in range(n + 3, len(lines))
                         if not lines[m].strip() and is_prose(lines[m - 1])] or [len(lines)]
                at = rng.choice(later) if later else len(lines)
            new[at:at] = ["", copy] if at <= len(lines) else ["", copy]
            # Keep blank-line separation: insert "", copy after line at-1.
            text = "\n".join(new)
            rel = f"{mode}/{s}/{i}.txt"
            cases[rel] = text
            expect[rel] = at + 2  # 1-based line of the copy
    d = write_texts("recall", cases)
    got = run(d)
    hits = collections.Counter()
    totals = collections.Counter()
    misses = []
    for rel, line in expect.items():
        mode = rel.split("/")[0]
        totals[mode] += 1
        lines_found = {f["line"] for f in got.get(rel, [])}
        if line in lines_found:
            hits[mode] += 1
        else:
            misses.append((rel, line, cases[rel].split("\n")[line - 1][:200]))
        extra = [f for f in got.get(rel, []) if f["line"] != line]
        hits[mode + " extra findings"] += len(extra)
    rows = [[m, totals[m], hits[m], f"{100 * hits[m] / max(totals[m], 1):.1f}%", hits[m + ' extra findings']]
            for m in ("adjacent", "distant", "adjacent-near", "distant-near")]
    print(f"{len(clean)} clean English main texts (seed {args.seed})")
    table(rows, ["injected copy", "cases", "found", "recall", "other findings"])
    if args.show_misses:
        for m in misses:
            print("missed", *m)


def write_html():
    """The English pages' HTML, decompressed under WORK/html: that directory, and
    {relative path: absolute path}."""
    d = os.path.join(WORK, "html")
    out = {}
    for (source, id_), rec in load_main().items():
        src = rec.get("html_path")
        if not src or not os.path.exists(os.path.join(CORPUS, src)):
            continue
        rel = f"html/{source}/{id_}.html"
        path = os.path.join(WORK, rel)
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with gzip.open(os.path.join(CORPUS, src), "rb") as f, open(path, "wb") as g:
                g.write(f.read())
        out[rel] = path
    return d, out


def html_context(path, f):
    """Each copy of a finding on an HTML page: its text in the source, the landmark and
    sectioning elements around it, and the visible lines before it and from it on."""
    import html as htmlmod
    data = open(path, "rb").read()
    src = data.decode("utf-8", "replace")

    def chain(off):
        stack = []
        for m in re.finditer(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>", src[:off]):
            close, tag, attrs = m.group(1), m.group(2).lower(), m.group(3)
            if tag not in ("nav", "header", "footer", "aside", "dialog", "article", "section", "main", "search") \
                    and "role=" not in attrs:
                continue
            if close:
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k].startswith(tag):
                        del stack[k:]
                        break
            else:
                role = re.search(r"role=[\"']?([a-z]+)", attrs)
                stack.append(tag + (f"[role={role.group(1)}]" if role else ""))
        return " > ".join(stack[-6:])

    def visible(chunk):
        chunk = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", chunk)
        chunk = htmlmod.unescape(re.sub(r"(?s)<[^>]*>", "\n", chunk))
        return [line.strip()[:80] for line in chunk.split("\n") if line.strip()]

    for label in f["labels"]:
        start, end = label["span"]["start"], label["span"]["end"]
        at = len(data[:start].decode("utf-8", "replace"))
        text = data[start:end].decode("utf-8", "replace")
        print(f"  {label['message']} (source line {label['line']}): {text[:300]!r}")
        print(f"     inside: {chain(at)}")
        print(f"     before: {' | '.join(visible(src[max(0, at - 2500):at])[-3:])}")
        print(f"     from here: {' | '.join(visible(src[at:at + len(text) + 2500])[:4])}")


def html_pages(args):
    """Findings on the pages' HTML; with --save, this binary's findings; with
    --only-removed OLD, a sample of the findings OLD had that this binary lacks; with
    --n, a sample to read."""
    d, pages = write_html()
    found = run(d)
    keys = {(rel, f["span"]["start"]) for rel, fs in found.items() for f in fs}
    if args.save:
        with open(args.save, "w", encoding="utf-8") as g:
            json.dump(found, g)
    counts = collections.Counter(kind(f) for fs in found.values() for f in fs)
    print(f"{len(pages)} pages, {sum(counts.values())} findings: "
          + ", ".join(f"{k} {counts[k]}" for k in KINDS))
    pool = [(rel, f) for rel in sorted(found) for f in found[rel]]
    if args.only_removed:
        with open(args.only_removed, encoding="utf-8") as g:
            before = json.load(g)
        before_keys = {(rel, f["span"]["start"]) for rel, fs in before.items() for f in fs}
        pool = [(rel, f) for rel in sorted(before) for f in before[rel] if (rel, f["span"]["start"]) not in keys]
        added = len(keys - before_keys)
        print(f"{len(pool)} findings of {args.only_removed} no longer reported, {added} new")
    if not args.sample_html:
        return
    rng = random.Random(args.seed)
    for k, (rel, f) in enumerate(rng.sample(pool, min(args.n, len(pool)))):
        print(f"#{k}\t{rel}:{f['line']}\t{f['message']}")
        html_context(os.path.join(d, rel), f)
        print()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["precision", "sample", "labels", "recall", "html"])
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--main-only", action="store_true")
    ap.add_argument("--view", choices=["main", "raw"], help="sample only this view")
    ap.add_argument("--context", action="store_true")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--save", help="precision: write the findings' lines to this JSON file")
    ap.add_argument("--only-new", help="sample: only findings not in this `precision --save` file")
    ap.add_argument("--exclude-labelled", action="store_true",
                    help="sample: leave out findings already in a labels file in scripts/data/")
    ap.add_argument("--file", help="labels: the labels file (default scripts/data/duplicate_paragraph_labels.tsv)")
    ap.add_argument("--against", help="labels: a second reader's labels of the same sample; prints their agreement")
    ap.add_argument("--recheck", action="store_true", help="labels: which labelled findings the current binary still reports")
    ap.add_argument("--only-removed", help="html: findings in this `html --save` file that the binary no longer reports")
    ap.add_argument("--sample-html", action="store_true", help="html: print --n findings to read, with context")
    args = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    if not os.path.isdir(CORPUS):
        sys.exit(f"corpus not found at {CORPUS}")
    {"precision": precision, "sample": sample, "labels": labels, "recall": recall, "html": html_pages}[args.what](args)


if __name__ == "__main__":
    main()
