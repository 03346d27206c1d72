#!/usr/bin/env python3
"""Builds tests/fixtures/corpus/feed.jsonl from the shared corpus (real text only):
six WCXB articles republished on one site with the seed's chrome around them (the
`Share this @internewscast.com` line and the `You May Also Like` block), two articles
of other sites, an exact copy of one article under another URL, and a near copy
(another headline, two words changed). Run from the repository root:

    python3 scripts/corpus_fixture.py /work/shared/corpus/wcxb.jsonl
"""
import json
import sys

SEED = "seeds/000_db6636acdd834bc4.txt"
IDS = ["0013", "0015", "0018", "0023", "0036", "0048", "0061", "0024"]


def main(path):
    records = {}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        records[r["id"]] = r
    seed = open(SEED, encoding="utf-8").read().split("\n")
    share = seed[1]  # "Share this @internewscast.com"
    related = "\n\n".join([seed[82]] + [seed[i] for i in (84, 86, 88, 90)])  # You May Also Like + teasers
    out = []

    def body(r, n=5):
        paras = [p for p in r["text"].split("\n\n") if p.strip()]
        return paras[:n]

    for i, rid in enumerate(IDS[:6]):
        paras = body(records[rid])
        text = paras[0] + "\n" + share + "\n\n" + "\n\n".join(paras[1:]) + "\n\n" + share + "\n" + related + "\n"
        out.append({"id": f"inc-{i + 1}", "url": f"https://www.internewscast.com/news/{rid}", "text": text})
    for rid in IDS[6:]:
        r = records[rid]
        out.append({"id": f"other-{rid}", "url": r["url"], "text": "\n\n".join(body(r, 8)) + "\n"})
    # An exact copy (typography aside) of the first other-site article, under another URL.
    out.append({"id": "copy", "url": "https://mirror.example.org/tips", "text": out[6]["text"].replace("'", "\u2019")})
    # A near copy of the second: another headline and two words changed, deep in the text.
    near = body(records[IDS[7]], 8)
    near[0] = "Catering Services Compared: Which One Fits Your Event?"
    near[-1] = near[-1].replace(" the ", " this ", 2)
    out.append({"id": "near", "url": "https://syndicate.example.net/catering", "text": "\n\n".join(near) + "\n"})
    with open("tests/fixtures/corpus/feed.jsonl", "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
