#!/usr/bin/env python3
"""Writes pending inline insta snapshots (`.*.pending-snap`, made by a failing
`cargo test` run) back into the Rust sources, for machines without `cargo insta`.
Review the diff afterwards: this accepts every pending snapshot."""
import glob, json, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for pending in glob.glob(os.path.join(root, "src", "**", ".*.pending-snap"), recursive=True):
    source = os.path.join(os.path.dirname(pending), os.path.basename(pending)[1:-len(".pending-snap")])
    lines = open(source, encoding="utf-8").read().split("\n")
    entries = {}
    for raw in open(pending, encoding="utf-8"):
        e = json.loads(raw)
        entries[e["line"]] = e["new"]["snapshot"]
    for line_no in sorted(entries, reverse=True):
        snap = entries[line_no]
        i = line_no - 1
        # The macro call starts at `line`; find its `@"…"` or `@r"…"` literal.
        j = i
        while '@' not in lines[j]:
            j += 1
        text = "\n".join(lines[j:])
        m = re.search(r'@(r#*)?"', text)
        start = m.start()
        hashes = (m.group(1) or "r")[1:]
        end_quote = '"' + hashes
        k = text.index(end_quote, m.end())
        indent = " " * (len(lines[i]) - len(lines[i].lstrip()))
        body = "\n".join(indent + l if l else l for l in snap.split("\n"))
        q = '#' if '"' in snap else ''
        literal = (f'@r{q}"\n' + body + "\n" + indent + f'"{q}') if "\n" in snap else f'@r{q}"{snap}"{q}'
        text = text[:start] + literal + text[k + len(end_quote):]
        lines = lines[:j] + text.split("\n")
    open(source, "w", encoding="utf-8").write("\n".join(lines))
    os.remove(pending)
    print(f"accepted {len(entries)} snapshot(s) in {os.path.relpath(source, root)}")
