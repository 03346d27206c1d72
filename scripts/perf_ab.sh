#!/usr/bin/env bash
# A/B timing of two copylint binaries on the same input, alternating runs so
# that load from other processes hits both alike. Prints best-of-N user and
# wall seconds and MB/s (wall) for -j1 and -j2.
#
#   scripts/perf_ab.sh OLD_BIN NEW_BIN [DIR] [N]
#
# DIR defaults to target/bench-data/txt (made by scripts/bench.sh).
#
# With autogroup scheduling, another session's busy build keeps one of two cores
# whatever its nice level, and -j2 then measures one core. To measure -j2, run the
# script in its own autogroup with more weight for the duration:
#   setsid sh -c 'echo -10 > /proc/self/autogroup; scripts/perf_ab.sh OLD NEW'
set -uo pipefail
old=$1 new=$2
dir=${3:-target/bench-data/txt}
n=${4:-5}
mb=$(du -sb --apparent-size "$dir" | awk '{print $1/1e6}')
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
declare -A bu bw
for j in 1 2; do
  for i in $(seq "$n"); do
    for b in old new; do
      bin=${!b}
      /usr/bin/time -o "$tmp" -f '%U %e' "$bin" check --isolated -q -j"$j" --format json "$dir" >/dev/null 2>&1
      t=$(tail -1 "$tmp")
      u=${t% *} w=${t#* }
      k=$b$j
      if [[ -z ${bu[$k]:-} ]] || awk "BEGIN{exit !($u < ${bu[$k]})}"; then bu[$k]=$u; fi
      if [[ -z ${bw[$k]:-} ]] || awk "BEGIN{exit !($w < ${bw[$k]})}"; then bw[$k]=$w; fi
    done
  done
done
printf '%-5s %-3s %8s %8s %8s\n' bin j user wall MB/s
for b in old new; do
  for j in 1 2; do
    k=$b$j
    printf '%-5s %-3s %8s %8s %8.1f\n' $b $j ${bu[$k]} ${bw[$k]} "$(awk "BEGIN{print $mb/${bw[$k]}}")"
  done
done
for b in old new; do
  printf '%s j2/j1 speed-up: %.2fx\n' $b "$(awk "BEGIN{print ${bw[${b}1]}/${bw[${b}2]}}")"
done
