#!/usr/bin/env python3
"""Writes data/variants/varcon.txt, SCOWL's VarCon in its own text format, from the copy of
VarCon that the `varcon` crate on crates.io carries as generated Rust (`src/codegen.rs`).

Why this detour: Debian's `scowl` package (binary and source) ships only the word lists
that SCOWL generates from VarCon, not VarCon's `varcon.txt`; the `varcon` crate (crate-ci's
typos project, MIT OR Apache-2.0, data under VarCon's own notice) is the copy of the data
that the registries reachable here carry. Run once when updating the data:

    cargo info varcon@1.0.3 >/dev/null      # puts the crate source in ~/.cargo/registry
    python3 scripts/varcon_import.py [PATH/TO/varcon-1.0.3/src/codegen.rs]
    python3 scripts/gen_variants.py           # then regenerate the compact table

The output lists every cluster and entry of the crate's data. Implied categories (`B`
implies `Z`, `Z` implies `C`, `B` implies `D`) are written out, as the crate stores them.
"""
import glob
import os
import re
import sys

CATEGORY = {
    "American": "A",
    "BritishIse": "B",
    "BritishIze": "Z",
    "Canadian": "C",
    "Australian": "D",
    "Other": "_",
}
TAG = {"None": "", "Eq": ".", "Variant": "v", "Seldom": "V", "Possible": "-", "Improper": "x"}
POS = {
    "Noun": "<N>",
    "Verb": "<V>",
    "Adjective": "<Adj>",
    "Adverb": "<Adv>",
    "AdjectiveOrAdverb": "<A>",
    "Interjection": "<Interj>",
    "Preposition": "<Prep>",
}
STRING = r'"((?:[^"\\]|\\.)*)"'


def unescape(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def find_codegen():
    pattern = os.path.expanduser("~/.cargo/registry/src/*/varcon-1.0.3/src/codegen.rs")
    found = sorted(glob.glob(pattern))
    if not found:
        sys.exit(f"no {pattern}: run `cargo info varcon@1.0.3` first, or pass the path")
    return found[-1]


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else find_codegen()
    here = os.path.dirname(os.path.abspath(__file__))
    out_path = os.path.join(here, "..", "data", "variants", "varcon.txt")
    text = open(src, encoding="utf-8").read()
    out = []
    cluster = entry = variant = None
    in_notes = False
    for line in text.splitlines():
        s = line.strip()
        if s == "Cluster {":
            cluster = {"entries": [], "notes": []}
            in_notes = False
        elif m := re.fullmatch(r"header: " + STRING + ",", s):
            cluster["header"] = unescape(m.group(1)).strip()
        elif m := re.fullmatch(r"verified: (true|false),", s):
            cluster["verified"] = m.group(1) == "true"
        elif m := re.fullmatch(r"level: (\d+),", s):
            cluster["level"] = int(m.group(1))
        elif s == "Entry {":
            entry = {"variants": []}
        elif s == "Variant {":
            variant = {"types": []}
        elif m := re.fullmatch(r"word: " + STRING + ",", s):
            variant["word"] = unescape(m.group(1))
        elif m := re.fullmatch(
            r"Type \{category: Category::(\w+), tag: (?:Some\(Tag::(\w+)\)|None), num: (?:Some\((\d+)\)|None),\},",
            s,
        ):
            tag = TAG[m.group(2) or "None"]
            variant["types"].append(CATEGORY[m.group(1)] + tag + (m.group(3) or ""))
        elif s == "}," and variant is not None:
            entry["variants"].append(variant)
            variant = None
        elif m := re.fullmatch(
            r"pos: (?:Some\(Pos::(\w+)\)|None), archaic: (true|false), note: (?:Some\(" + STRING + r"\)|None),", s
        ):
            entry["pos"] = POS[m.group(1)] if m.group(1) else ""
            entry["archaic"] = m.group(2) == "true"
            entry["note"] = unescape(m.group(3)) if m.group(3) is not None else None
        elif m := re.fullmatch(r"description: (?:Some\(" + STRING + r"\)|None),", s):
            entry["description"] = unescape(m.group(1)) if m.group(1) is not None else None
        elif m := re.fullmatch(r"comment: (?:Some\(" + STRING + r"\)|None),", s):
            entry["comment"] = unescape(m.group(1)) if m.group(1) is not None else None
        elif s == "}," and entry is not None and "comment" in entry:
            cluster["entries"].append(entry)
            entry = None
        elif s == "notes: &[":
            in_notes = True
        elif in_notes and (m := re.fullmatch(STRING + ",", s)):
            cluster["notes"].append(unescape(m.group(1)))
        elif s == "}," and cluster is not None and in_notes:
            out.append(render(cluster))
            cluster = None
            in_notes = False
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write("\n".join(out))
    print(f"wrote {len(out)} clusters to {os.path.normpath(out_path)}")


HEADER = """\
# VarCon (Variant Conversion Info), by Kevin Atkinson and Benjamin Titze: see NOTICE
# beside this file. Rewritten in VarCon's text format by scripts/varcon_import.py from
# the data of the `varcon` 1.0.3 crate; implied categories are written out.

"""


def render(cluster):
    head = f"# {cluster['header']}"
    if cluster.get("verified"):
        head += " <verified>"
    head += f" (level {cluster['level']})"
    lines = [head]
    for e in cluster["entries"]:
        parts = [" ".join(v["types"]) + ": " + v["word"] for v in e["variants"]]
        line = " / ".join(parts)
        info = []
        if e["pos"]:
            info.append(e["pos"])
        if e["archaic"]:
            info.append("(-)")
        if e.get("note"):
            info.append("-- " + e["note"])
        if e.get("description"):
            info.append(e["description"])
        if info:
            line += " | " + " ".join(info)
        if e.get("comment"):
            line += " # " + e["comment"]
        lines.append(line)
    for note in cluster["notes"]:
        lines.append("## " + note)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
