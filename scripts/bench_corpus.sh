#!/usr/bin/env bash
# Corpus mode at scale: time and peak memory of `check --corpus` on 10k, 100k and 1M
# synthetic documents of real paragraphs (scripts/corpus_synth.py, sites of 1,000
# pages), beside the per-document check of the same files.
#
#   scripts/bench_corpus.sh                 # 10k, 100k and 1M documents
#   BENCH_DOCS="10000 100000" scripts/bench_corpus.sh
#
# Columns: wall seconds, CPU seconds (user + system), MB/s per CPU second (the machine
# is shared, so CPU time is the steadier figure), peak RSS (MB) for
#   corpus-only  check --corpus --select site-boilerplate,duplicate-document
#   full+corpus  check --corpus (every default rule and the corpus rules)
#   per-doc      check (every default rule, no corpus pass)
# The 1M file is about 1.6 GB; the shingle spill file of the corpus pass about 1 GB more
# in $TMPDIR. Run on a quiet machine: the figures are wall times.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
work=${BENCH_DIR:-"$here/target/corpus-bench"}
docs=${BENCH_DOCS:-"10000 100000 1000000"}
mkdir -p "$work"
cargo build --release --quiet
bin="$here/target/release/copylint"

# Runs a command; prints "wall_seconds cpu_seconds peak_rss_mb".
measure() {
    local log
    log=$(mktemp)
    /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" >/dev/null 2>&1 || true
    tail -1 "$log" | awk '{ printf "%s %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }'
    rm -f "$log"
}

printf "| documents | MB | corpus-only wall s | CPU s | MB/CPU s | RSS MB | full+corpus wall s | CPU s | MB/CPU s | RSS MB | per-doc wall s | CPU s | MB/CPU s | RSS MB |\n"
printf "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
for n in $docs; do
    file="$work/$n.jsonl"
    [ -f "$file" ] || python3 scripts/corpus_synth.py --docs "$n" --out "$file"
    mb=$(du -m "$file" | cut -f1)
    row="| $n | $mb"
    for args in "--corpus --select site-boilerplate,duplicate-document" "--corpus" ""; do
        # shellcheck disable=SC2086
        read -r secs cpu rss < <(measure "$bin" --isolated check --quiet --format json $args "$file")
        rate=$(echo "$mb / $cpu" | bc -l)
        row="$row | $secs | $cpu | $(printf %.0f "$rate") | $rss"
    done
    echo "$row |"
done
