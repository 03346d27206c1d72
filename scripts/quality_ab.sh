#!/usr/bin/env bash
# What the quality group adds to a full run, for several copylint binaries side by side:
# as scripts/quality_bench.sh (user time, -j1, the corpus's main texts, best of N), with
# the binaries' runs alternated so that load from other processes hits them alike. The
# last column is the median over the N rounds of each round's own ratio (its quality run
# against the default run just before it): the machine's drift between rounds cancels.
#
#   scripts/quality_bench.sh                                  # writes the texts once
#   nice scripts/quality_ab.sh 9 /tmp/copylint-main target/release/copylint
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir="$here/target/quality-bench/txt"
[ -f "$dir/.done" ] || { echo "run scripts/quality_bench.sh first (it writes $dir)"; exit 2; }
n=$1
shift
declare -A best ratios
for _ in $(seq "$n"); do
    for b in "$@"; do
        for q in default quality; do
            extra=()
            [ "$q" = quality ] && extra=(--extend-select quality)
            t=$({ /usr/bin/time -f '%U' "$b" check --isolated --quiet --format json --threads 1 \
                "${extra[@]}" "$dir" 2>&1 >/dev/null || true; } | tail -1)
            k="$b $q"
            if [ -z "${best[$k]:-}" ] || awk "BEGIN{exit !($t < ${best[$k]})}"; then best[$k]=$t; fi
            [ "$q" = default ] && d=$t
        done
        ratios[$b]+="$(awk -v d="$d" -v q="$t" 'BEGIN{printf "%.4f", 100 * (q - d) / d}') "
    done
done
printf '%-36s %9s %9s %12s %14s\n' binary default +quality "quality adds" "paired median"
for b in "$@"; do
    median=$(echo "${ratios[$b]}" | tr ' ' '\n' | grep . | sort -g |
        awk '{v[NR] = $1} END {printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
    awk -v b="$b" -v d="${best["$b default"]}" -v q="${best["$b quality"]}" -v m="$median" \
        'BEGIN{printf "%-36s %9.2f %9.2f %6.2f s %4.1f%% %13s%%\n", b, d, q, q - d, 100 * (q - d) / d, m}'
done
