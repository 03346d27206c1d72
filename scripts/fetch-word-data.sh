#!/usr/bin/env bash
# Refreshes the third-party word data under data/ from the package registries.
# Run by hand when a source is upgraded; builds never download anything. Afterwards
# regenerate the embedded forms with
#   COPYLINT_REGENERATE=1 cargo test --test word_data
# and review the diff of src/words/english.fst and rules/misspellings.toml.
#
# Sources (versions pinned here, licenses in data/THIRD-PARTY-NOTICES):
#   SCOWL 2020.12.07      Debian package `scowl` (apt-get download), lists of size <= 80
#   SymSpell frequencies  PyPI wheel `symspellpy==6.10.1`, frequency_dictionary_en_82_765.txt
#   typos misspellings    crates.io `typos-dict 0.14.4`, the table in src/word_codegen.rs
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
data="$here/data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

SCOWL_VERSION=2020.12.07-2
SYMSPELLPY_VERSION=6.10.1
TYPOS_DICT_VERSION=0.14.4
MAX_LEVEL=80

# SCOWL: the final/ lists of size MAX_LEVEL or less, byte for byte, and the copyright file.
(cd "$work" && apt-get download "scowl=$SCOWL_VERSION" >/dev/null)
dpkg-deb -x "$work"/scowl_*.deb "$work/scowl"
rm -rf "$data/scowl"
mkdir -p "$data/scowl/final"
for f in "$work"/scowl/usr/share/dict/scowl/*; do
    level=${f##*.}
    if [ "$level" -le "$MAX_LEVEL" ]; then cp "$f" "$data/scowl/final/"; fi
done
cp "$work/scowl/usr/share/doc/scowl/copyright" "$data/scowl/copyright"
echo "SCOWL $SCOWL_VERSION (Debian package scowl), lists of size <= $MAX_LEVEL" > "$data/scowl/VERSION"

# SymSpell: the word frequency list and the package's license.
pip download --quiet --no-deps --dest "$work" "symspellpy==$SYMSPELLPY_VERSION"
(cd "$work" && python3 -m zipfile -e symspellpy-*.whl sym >/dev/null)
rm -rf "$data/symspell"
mkdir -p "$data/symspell"
cp "$work/sym/symspellpy/frequency_dictionary_en_82_765.txt" "$data/symspell/"
cp "$work"/sym/symspellpy-*.dist-info/licenses/LICENSE "$data/symspell/LICENSE"
echo "symspellpy $SYMSPELLPY_VERSION (PyPI wheel), frequency_dictionary_en_82_765.txt" > "$data/symspell/VERSION"

# typos: fetch the crate through cargo into the registry, then read its table.
mkdir -p "$work/fetch/src"
cat > "$work/fetch/Cargo.toml" <<TOML
[package]
name = "fetch-typos-dict"
version = "0.0.0"
edition = "2021"
[dependencies]
typos-dict = "=$TYPOS_DICT_VERSION"
TOML
touch "$work/fetch/src/lib.rs"
cargo fetch --quiet --manifest-path "$work/fetch/Cargo.toml"
registry=${CARGO_HOME:-$HOME/.cargo}/registry/src
codegen=$(ls -d "$registry"/*/typos-dict-"$TYPOS_DICT_VERSION"/src/word_codegen.rs | head -1)
rm -rf "$data/typos"
mkdir -p "$data/typos"
python3 - "$codegen" "$data/typos/words.csv" <<'PY'
# The crate ships its table as generated Rust (a phf map); read back the
# (typo, corrections) pairs and write them as typos' own words.csv layout:
# typo,correction[,correction...], sorted.
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
body = src[src.index("entries: &["):]
entry = re.compile(
    r'\(\s*dictgen::InsensitiveStr::(?:Ascii|Unicode)\("((?:[^"\\]|\\.)*)"\),'
    r'\s*&\[((?:\s*"(?:[^"\\]|\\.)*",?)*)\s*\],?\s*\)', re.S)
rows = []
for m in entry.finditer(body):
    corrections = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))
    rows.append([m.group(1)] + corrections)
rows.sort()
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for row in rows:
        f.write(",".join(row) + "\n")
print(f"typos-dict: {len(rows)} entries", file=sys.stderr)
PY
echo "typos-dict $TYPOS_DICT_VERSION (crates.io), table read from src/word_codegen.rs" > "$data/typos/VERSION"
echo "word data refreshed under $data"
