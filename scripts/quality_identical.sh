#!/usr/bin/env bash
# Whether two copylint binaries give the quality group byte-identical results: the
# findings of `check --isolated --select quality --format json` on the main texts (one
# .txt per page, as scripts/quality_bench.sh writes them) and on the raw views (the
# corpus's <source>.raw.jsonl.gz, read as JSONL), and `explain-drop --format json` on
# the main texts and raw views of every page. For speed work that must not change a
# verdict, a number or a label.
#
#   scripts/quality_identical.sh OLD_BIN NEW_BIN
#
# Prints one line per comparison and exits 1 when any differs.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
old=$1 new=$2
corpus=${CORPUS:-"$here/../shared/corpus"}
[ -d "$corpus" ] || corpus=${CORPUS:-"$here/../../shared/corpus"}
txt="$here/target/quality-bench/txt"
jsonl="$here/target/quality-identical/jsonl"
out="$here/target/quality-identical/out"
if ! ls "$corpus"/*.raw.jsonl.gz >/dev/null 2>&1; then
    echo "skipped: corpus not found at $corpus (set CORPUS=...)"
    exit 0
fi
[ -f "$txt/.done" ] || { echo "run scripts/quality_bench.sh first (it writes $txt)"; exit 2; }
mkdir -p "$jsonl" "$out"
for f in "$corpus"/*.raw.jsonl.gz; do
    name=$(basename "$f" .jsonl.gz)
    [ -f "$jsonl/$name.jsonl" ] || zcat "$f" >"$jsonl/$name.jsonl"
done
for f in "$corpus"/*.jsonl; do
    cp -u "$f" "$jsonl/"
done

status=0
compare() {
    local what=$1
    shift
    "$old" "$@" >"$out/old" 2>&1 || true
    "$new" "$@" >"$out/new" 2>&1 || true
    if cmp -s "$out/old" "$out/new"; then
        printf '%-44s identical (%s lines)\n' "$what" "$(wc -l <"$out/old")"
    else
        printf '%-44s DIFFERENT\n' "$what"
        diff "$out/old" "$out/new" | head -20
        status=1
    fi
}
compare "check quality, main texts (.txt)" check --isolated --select quality --format json --threads 1 "$txt"
compare "check quality, raw views (.jsonl)" check --isolated --select quality --format json --threads 1 "$jsonl"/*.raw.jsonl
compare "explain-drop, main texts (.jsonl)" explain-drop --isolated --format json $(ls "$jsonl"/*.jsonl | grep -v '\.raw\.')
compare "explain-drop, raw views (.jsonl)" explain-drop --isolated --format json "$jsonl"/*.raw.jsonl
exit $status
