#!/usr/bin/env bash
# The Spark job and `check --corpus` give the same findings on ../shared/corpus/wcxb.jsonl
# (1,490 real pages): byte-for-byte equal `--format jsonl` output, and the timings.
#
#   scripts/spark_equality.sh            # needs pyspark (pip install pyspark) and Java 17
#   scripts/spark_equality.sh wcxb.jsonl wcxb.raw.jsonl.gz   # other files of the corpus
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-"$here/../shared/corpus"}
[ -d "$corpus" ] || corpus=/work/shared/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$here"
cargo build --release --quiet
bin="$here/target/release/copylint"
files=()
for name in "${@:-wcxb.jsonl}"; do
    case $name in
        *.gz) gunzip -c "$corpus/$name" > "$work/${name%.gz}"; files+=("${name%.gz}") ;;
        *) cp "$corpus/$name" "$work/"; files+=("$name") ;;
    esac
done
cd "$work"

start=$(date +%s.%N)
"$bin" --isolated check --corpus --quiet --format jsonl "${files[@]}" > local.jsonl || [ $? -eq 1 ]
local_s=$(echo "$(date +%s.%N) - $start" | bc -l)

start=$(date +%s.%N)
python3 "$here/contrib/spark/copylint_corpus.py" --copylint "$bin" --out spark.jsonl \
    --work aggregates --partitions 4 "${files[@]}" 2> spark.log
spark_s=$(echo "$(date +%s.%N) - $start" | bc -l)
grep '^copylint-corpus:' spark.log || true

printf "\n| run | seconds | findings | site-boilerplate | duplicate-document |\n|---|---:|---:|---:|---:|\n"
for f in local spark; do
    secs=$([ $f = local ] && echo "$local_s" || echo "$spark_s")
    printf "| %s | %.1f | %d | %d | %d |\n" "$f" "$secs" "$(wc -l < $f.jsonl)" \
        "$(grep -c '"rule":"site-boilerplate"' $f.jsonl || true)" \
        "$(grep -c '"rule":"duplicate-document"' $f.jsonl || true)"
done
echo
if cmp -s local.jsonl spark.jsonl; then
    echo "IDENTICAL: the Spark job's findings equal check --corpus byte for byte ($(sha256sum < local.jsonl | cut -c1-16))"
else
    echo "DIFFERENT:"; diff local.jsonl spark.jsonl | head -20; exit 1
fi
