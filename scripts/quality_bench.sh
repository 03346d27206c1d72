#!/usr/bin/env bash
# What the quality group (gopher-quality, gopher-repetition, c4-quality, fineweb-quality)
# adds to a full `copylint check` run: CPU (user) time of the default rule set against
# the default set plus `--extend-select quality`, on one thread, on the corpus's main
# texts (one .txt per page), runs alternated, best of BENCH_RUNS each.
#
#   nice scripts/quality_bench.sh                # the ~20 MB of main texts, 5 runs each
#   BENCH_RUNS=9 nice scripts/quality_bench.sh
#   BENCH_INSTRUCTIONS=1 scripts/quality_bench.sh  # also instructions executed (valgrind)
#
# On a busy virtual machine user time can swing by 20% from run to run. The instruction
# count (valgrind's cachegrind, when installed) does not: it misses cache and branch
# costs, but tells a change's effect on the work done to within a fraction of a percent.
#
# User time rather than wall time: the machine is shared, and a busy neighbour stretches
# wall time far more than the CPU time the run itself uses.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
corpus=${CORPUS:-"$here/../shared/corpus"}
[ -d "$corpus" ] || corpus=${CORPUS:-"$here/../../shared/corpus"}
runs=${BENCH_RUNS:-5}
dir="$here/target/quality-bench/txt"

if ! ls "$corpus"/*.jsonl >/dev/null 2>&1; then
    echo "skipped: corpus not found at $corpus (set CORPUS=...)"
    exit 0
fi
if [ ! -f "$dir/.done" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    python3 - "$corpus" "$dir" <<'PY'
import glob, json, os, sys
corpus, out = sys.argv[1], sys.argv[2]
i = 0
for path in sorted(glob.glob(os.path.join(corpus, "*.jsonl"))):
    with open(path, encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text") or ""
            if text:
                with open(os.path.join(out, f"{i:05}.txt"), "w", encoding="utf-8") as g:
                    g.write(text)
                i += 1
PY
    touch "$dir/.done"
fi

cargo build --release --quiet
bin="$here/target/release/copylint"
mb=$(find "$dir" -name '*.txt' -printf '%s\n' | awk '{s += $1} END {printf "%.2f", s / 1e6}')
files=$(find "$dir" -name '*.txt' | wc -l)

# User seconds of one run.
user_time() {
    { /usr/bin/time -f '%U' "$bin" check --isolated --quiet --format json --threads 1 "$@" "$dir" \
        2>&1 >/dev/null || true; } | tail -1
}

best_default="" best_quality=""
for _ in $(seq "$runs"); do
    t=$(user_time)
    if [ -z "$best_default" ] || [ "$(echo "$t < $best_default" | bc -l)" = 1 ]; then best_default=$t; fi
    t=$(user_time --extend-select quality)
    if [ -z "$best_quality" ] || [ "$(echo "$t < $best_quality" | bc -l)" = 1 ]; then best_quality=$t; fi
done
only=$(echo "$best_quality - $best_default" | bc -l)

echo "input: $mb MB of main text ($files pages); best user time of $runs runs, -j1"
printf '%-40s %9s %9s\n' "rule set" "user s" "MB/s"
printf '%-40s %9.2f %9.1f\n' "default rules" "$best_default" "$(echo "$mb / $best_default" | bc -l)"
printf '%-40s %9.2f %9.1f\n' "default + --extend-select quality" "$best_quality" "$(echo "$mb / $best_quality" | bc -l)"
printf 'quality group adds %.1f%% (%.2f s)\n' "$(echo "100 * $only / $best_default" | bc -l)" "$only"

if [ "${BENCH_INSTRUCTIONS:-0}" != 0 ]; then
    if ! command -v valgrind >/dev/null; then
        echo "instructions: skipped (valgrind is not installed)"
        exit 0
    fi
    # Instructions of one run (cachegrind's I refs); findings make `check` exit 1.
    instructions() {
        { valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
            "$bin" check --isolated --quiet --format json --threads 1 "$@" "$dir" \
            2>&1 >/dev/null || true; } | awk '/I +refs/ {gsub(",", "", $NF); print $NF}'
    }
    i_default=$(instructions)
    i_quality=$(instructions --extend-select quality)
    printf '%-40s %9.2f G instructions\n' "default rules" "$(echo "$i_default / 1000000000" | bc -l)"
    printf '%-40s %9.2f G instructions\n' "default + --extend-select quality" "$(echo "$i_quality / 1000000000" | bc -l)"
    printf 'quality group adds %.1f%% of the instructions\n' "$(echo "100 * ($i_quality - $i_default) / $i_default" | bc -l)"
fi
