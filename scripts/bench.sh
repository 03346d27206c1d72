#!/usr/bin/env bash
# Throughput and memory of `copylint check` on real scraped text, side by side with
# `rg -c .` (the I/O floor; `wc -l` if ripgrep is missing) on the same files.
#
#   scripts/bench.sh            # corpus benchmark + single-long-line scaling
#   BENCH_MB=100 scripts/bench.sh
#   BENCH_ARGS="--ignore inconsistent-spelling,mojibake" scripts/bench.sh   # cost of some rules
#
# Inputs are built from ../shared/corpus/*.jsonl (field `text`), one .txt file per
# record, repeated until the set is at least BENCH_MB megabytes (default 50). Without
# the corpus the corpus part is skipped with a message. Figures are ratios measured in
# the same run, because these machines are noisy.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
corpus=${CORPUS:-"$here/../shared/corpus"}
data=${BENCH_DIR:-"$here/target/bench-data"}
want_mb=${BENCH_MB:-50}
runs=${BENCH_RUNS:-3}
read -r -a extra <<< "${BENCH_ARGS:-}"

cargo build --release --quiet
bin="$here/target/release/copylint"

# Best wall time of $runs runs of a command, in seconds.
best_time() {
    local best=""
    for _ in $(seq "$runs"); do
        local start end t
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    echo "$best"
}

# Peak resident set size of a command, in MB.
peak_rss_mb() {
    { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1 | awk '{printf "%.1f", $1 / 1024}'
}

mbps() { echo "scale=1; $1 / $2" | bc -l; }

if command -v rg >/dev/null; then floor=(rg -c . "$data"); floor_name="rg -c ."; else floor=(wc -l -r "$data"); floor_name="wc -l"; fi

if ls "$corpus"/*.jsonl >/dev/null 2>&1; then
    if [ ! -f "$data/.done-$want_mb" ]; then
        rm -rf "$data"
        mkdir -p "$data"
        python3 - "$corpus" "$data" "$want_mb" <<'PY'
import glob, json, os, sys
corpus, out, want = sys.argv[1], sys.argv[2], int(sys.argv[3]) * 1_000_000
texts = []
for path in sorted(glob.glob(os.path.join(corpus, "*.jsonl"))):
    with open(path, encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text") or ""
            if text:
                texts.append(text)
total, copy = 0, 0
while total < want:
    d = os.path.join(out, f"copy{copy}")
    os.makedirs(d)
    for i, text in enumerate(texts):
        data = text.encode("utf-8")
        with open(os.path.join(d, f"{i:05}.txt"), "wb") as f:
            f.write(data)
        total += len(data)
        if total >= want:
            break
    copy += 1
print(f"built {total / 1e6:.1f} MB of .txt in {out}")
PY
        touch "$data/.done-$want_mb"
    fi
    bytes=$(find "$data" -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s}')
    files=$(find "$data" -name '*.txt' | wc -l)
    mb=$(echo "scale=2; $bytes / 1000000" | bc -l)
    echo "corpus: $files files, $mb MB (from $corpus)"
    # Warm the page cache so that every tool reads from memory.
    "${floor[@]}" >/dev/null 2>&1 || true

    t_floor=$(best_time "${floor[@]}")
    t1=$(best_time "$bin" check --isolated --quiet --format json --threads 1 "${extra[@]}" "$data")
    t2=$(best_time "$bin" check --isolated --quiet --format json --threads 2 "${extra[@]}" "$data")
    rss1=$(peak_rss_mb "$bin" check --isolated --quiet --format json --threads 1 "${extra[@]}" "$data")
    rss2=$(peak_rss_mb "$bin" check --isolated --quiet --format json --threads 2 "${extra[@]}" "$data")
    findings=$("$bin" check --isolated --quiet --format concise "${extra[@]}" "$data" | wc -l || true)
    printf '\n%-44s %9s %9s %9s %10s\n' "command" "seconds" "MB/s" "vs floor" "peak RSS"
    printf '%-44s %9.3f %9s %9s %10s\n' "$floor_name" "$t_floor" "$(mbps "$mb" "$t_floor")" "1.00" "-"
    printf '%-44s %9.3f %9s %9s %10s\n' "copylint check --format json -j1" "$t1" "$(mbps "$mb" "$t1")" \
        "$(echo "scale=2; $t1 / $t_floor" | bc -l)" "${rss1} MB"
    printf '%-44s %9.3f %9s %9s %10s\n' "copylint check --format json -j2" "$t2" "$(mbps "$mb" "$t2")" \
        "$(echo "scale=2; $t2 / $t_floor" | bc -l)" "${rss2} MB"
    echo "two threads vs one: $(echo "scale=2; $t1 / $t2" | bc -l)x   ($findings findings)"
else
    echo "corpus not found at $corpus: skipping the corpus benchmark (set CORPUS=...)"
fi

# A single long line must be checked in linear time: 5 MB vs 50 MB.
long="$here/target/bench-long"
mkdir -p "$long"
python3 - "$long" <<'PY'
import os, sys
out = sys.argv[1]
# About one finding per kilobyte, as in real text: the point is the line's length.
unit = "Some scraped words and no line break. " * 26 + "A double  space.\u00a0 "
for mb in (5, 50):
    path = os.path.join(out, f"line-{mb}mb.txt")
    if not os.path.exists(path):
        n = mb * 1_000_000 // len(unit.encode())
        with open(path, "w", encoding="utf-8") as f:
            f.write(unit * n)
PY
t5=$(best_time "$bin" check --isolated --quiet --format json "${extra[@]}" "$long/line-5mb.txt")
t50=$(best_time "$bin" check --isolated --quiet --format json "${extra[@]}" "$long/line-50mb.txt")
rss50=$(peak_rss_mb "$bin" check --isolated --quiet --format json "${extra[@]}" "$long/line-50mb.txt")
echo
echo "single line: 5 MB ${t5}s, 50 MB ${t50}s (ratio $(echo "scale=1; $t50 / $t5" | bc -l), 10 is linear), peak RSS ${rss50} MB"
