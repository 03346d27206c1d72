#!/usr/bin/env bash
# Throughput and memory of `copylint check` on real scraped text, HTML and JSONL, side by
# side with `rg -c .` (the I/O floor; `wc -l` if ripgrep is missing) and the prose
# linters a user would otherwise run (typos, codespell, proselint; Vale and Harper when
# installed), on the same files.
#
#   scripts/bench.sh                 # everything
#   BENCH_MB=100 scripts/bench.sh    # a bigger text corpus
#   BENCH_GB_JSONL=0 scripts/bench.sh  # skip the 1 GB JSONL memory check
#   BENCH_ARGS="--ignore typography" scripts/bench.sh   # extra `check` arguments
#
# Inputs are built from ../shared/corpus (field `text` of *.jsonl, one .txt per record,
# repeated to BENCH_MB megabytes, default 50; the pages' HTML decompressed; the JSONL
# files repeated to 50 MB and to 1 GB). Without the corpus those parts are skipped with a
# message. Figures are ratios measured in the same run: these machines are noisy.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
corpus=${CORPUS:-"$here/../shared/corpus"}
work=${BENCH_DIR:-"$here/target/bench-data"}
want_mb=${BENCH_MB:-50}
runs=${BENCH_RUNS:-3}
gb_jsonl=${BENCH_GB_JSONL:-1}
read -r -a extra <<< "${BENCH_ARGS:-}"

cargo build --release --quiet
bin="$here/target/release/copylint"
copylint=("$bin" check --isolated "${extra[@]}" --quiet --format json)

# Wall time of one run of a command, in seconds.
one_time() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

# The smaller of a best time so far (empty before the first run) and a new one.
smaller() {
    if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi
}

# Best wall time of $runs runs of a command, in seconds.
best_time() {
    local best=""
    for _ in $(seq "$runs"); do
        best=$(smaller "$best" "$(one_time "$@")")
    done
    echo "$best"
}

# Peak resident set size of a command, in MB.
peak_rss_mb() {
    { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1 | awk '{printf "%.1f", $1 / 1024}'
}

mbps() { echo "scale=1; $1 / $2" | bc -l; }
size_mb() { find "$@" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.2f", s / 1000000}'; }

row_header() { printf '\n%-40s %-12s %8s %9s %9s %11s\n' "tool" "input" "MB" "seconds" "MB/s" "vs -j1"; }
# row NAME INPUT MB SECONDS BASELINE_SECONDS_PER_MB
row() {
    local rel="-"
    # bc rounds each division to `scale` digits: the ratio is taken at full precision.
    if [ -n "${5:-}" ]; then rel=$(printf '%.2f' "$(echo "scale=9; ($4 / $3) / $5" | bc -l)")x; fi
    printf '%-40s %-12s %8s %9.3f %9s %11s\n' "$1" "$2" "$3" "$4" "$(mbps "$3" "$4")" "$rel"
}

if ! ls "$corpus"/*.jsonl >/dev/null 2>&1; then
    echo "corpus not found at $corpus: skipping the corpus benchmarks (set CORPUS=...)"
else
    # ---- build the inputs ----
    txt="$work/txt"
    if [ ! -f "$txt/.done-$want_mb" ]; then
        rm -rf "$txt" && mkdir -p "$txt"
        python3 - "$corpus" "$txt" "$want_mb" <<'PY'
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
PY
        touch "$txt/.done-$want_mb"
    fi
    html="$work/html"
    if [ ! -f "$html/.done" ]; then
        rm -rf "$html" && mkdir -p "$html"
        for f in "$corpus"/*/html/*.html.gz; do
            src=$(basename "$(dirname "$(dirname "$f")")")
            zcat "$f" > "$html/$src-$(basename "$f" .gz)"
        done
        touch "$html/.done"
    fi
    jsonl="$work/jsonl/corpus.jsonl"
    if [ ! -f "$jsonl" ]; then
        mkdir -p "$work/jsonl"
        while [ "$(stat -c %s "$jsonl" 2>/dev/null || echo 0)" -lt 50000000 ]; do
            cat "$corpus"/*.jsonl >> "$jsonl"
        done
    fi
    sample="$work/sample"
    if [ ! -f "$sample/.done" ]; then
        # Slow peers run on a 5 MB sample of the text corpus; MB/s is comparable.
        rm -rf "$sample" && mkdir -p "$sample"
        total=0
        for f in "$txt"/copy0/*.txt; do
            cp "$f" "$sample/"
            total=$((total + $(stat -c %s "$f")))
            [ "$total" -ge 5000000 ] && break
        done
        touch "$sample/.done"
    fi

    txt_mb=$(size_mb "$txt" -name '*.txt')
    html_mb=$(size_mb "$html" -name '*.html')
    jsonl_mb=$(size_mb "$jsonl")
    sample_mb=$(size_mb "$sample" -name '*.txt')
    echo "inputs: $txt_mb MB of .txt ($(find "$txt" -name '*.txt' | wc -l) files), $html_mb MB of HTML" \
        "($(find "$html" -name '*.html' | wc -l) pages), $jsonl_mb MB of JSONL, $sample_mb MB sample for slow peers"

    # The I/O floor: read every file once.
    if command -v rg >/dev/null; then floor_name="rg -c ."; else floor_name="cat | wc -l"; fi
    floor() { if command -v rg >/dev/null; then rg -c . "$1"; else find "$1" -type f -exec cat {} + | wc -l; fi; }
    floor "$txt" >/dev/null 2>&1 || true

    t_j1=$(best_time "${copylint[@]}" --threads 1 "$txt")
    base=$(echo "scale=6; $t_j1 / $txt_mb" | bc -l)
    row_header
    row "$floor_name" "text" "$txt_mb" "$(best_time floor "$txt")" "$base"
    row "copylint -j1" "text" "$txt_mb" "$t_j1" "$base"
    # The quality group (off by default, `--extend-select quality`): it must add no more
    # than 30% to a run. Measured on one copy of the corpus (every page once): on the
    # repeated copies, duplicate-document reports every page and the tokenizer's piece
    # cache sees its pieces again, which makes the group's share look smaller than on
    # real text. scripts/quality_bench.sh measures the same in CPU time, runs alternated,
    # and scripts/quality_ab.sh compares builds.
    once="$txt/copy0"
    once_mb=$(size_mb "$once" -name '*.txt')
    # The two runs alternate, so that a slower spell of the machine hits both; besides the
    # best times, the median of each round's own ratio (quality run over the default run
    # just before it) cancels the drift between rounds.
    t_once="" t_quality="" round_ratios=()
    for _ in $(seq "$runs"); do
        d=$(one_time "${copylint[@]}" --threads 1 "$once")
        q=$(one_time "${copylint[@]}" --threads 1 --extend-select quality "$once")
        t_once=$(smaller "$t_once" "$d")
        t_quality=$(smaller "$t_quality" "$q")
        round_ratios+=("$(echo "scale=9; 100 * ($q - $d) / $d" | bc -l)")
    done
    paired=$(printf '%s\n' "${round_ratios[@]}" | sort -g | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m}')
    row "copylint -j1" "text once" "$once_mb" "$t_once" "$base"
    row "copylint -j1 --extend-select quality" "text once" "$once_mb" "$t_quality" "$base"
    t_j2=$(best_time "${copylint[@]}" --threads 2 "$txt")
    row "copylint -j2" "text" "$txt_mb" "$t_j2" "$base"
    row "copylint -j1" "JSONL" "$jsonl_mb" "$(best_time "${copylint[@]}" --threads 1 "$jsonl")" "$base"
    row "copylint -j2" "JSONL" "$jsonl_mb" "$(best_time "${copylint[@]}" --threads 2 "$jsonl")" "$base"
    row "copylint -j1" "HTML" "$html_mb" "$(best_time "${copylint[@]}" --threads 1 "$html")" "$base"
    row "copylint -j2" "HTML" "$html_mb" "$(best_time "${copylint[@]}" --threads 2 "$html")" "$base"
    if command -v typos >/dev/null; then
        row "typos $(typos --version | awk '{print $2}')" "text" "$txt_mb" "$(best_time typos --format brief "$txt")" "$base"
    else
        echo "typos: not installed (cargo install typos-cli)"
    fi
    if command -v codespell >/dev/null; then
        row "codespell $(codespell --version)" "text sample" "$sample_mb" "$(runs=1 best_time codespell "$sample")" "$base"
    else
        echo "codespell: not installed (pip install codespell)"
    fi
    if command -v proselint >/dev/null; then
        # proselint checks one file per process start; this is how it is run on a tree.
        row "proselint $(proselint --version 2>/dev/null | awk '{print $NF}')" "text sample" "$sample_mb" \
            "$(runs=1 best_time sh -c "find '$sample' -name '*.txt' -print0 | xargs -0 proselint check")" "$base"
    else
        echo "proselint: not installed (pip install proselint)"
    fi
    for peer in vale harper-cli; do
        command -v "$peer" >/dev/null || echo "$peer: not installed here (no package in this machine's registries)"
    done
    echo
    echo "two threads vs one on text: $(echo "scale=2; $t_j1 / $t_j2" | bc -l)x"
    echo "the quality group adds $(echo "scale=1; 100 * ($t_quality - $t_once) / $t_once" | bc -l)% to a -j1 run on text" \
        "(best times; median of the $runs alternated rounds: $paired%; limit 30%)"
    echo "peak RSS, text -j2: $(peak_rss_mb "${copylint[@]}" --threads 2 "$txt") MB;" \
        "JSONL -j2: $(peak_rss_mb "${copylint[@]}" --threads 2 "$jsonl") MB"

    # Stream mode: N records in on stdin, N lines out, in order; RSS must not grow with N.
    for n in 10000 100000; do
        recs="$work/jsonl/records-$n.jsonl"
        [ -f "$recs" ] || python3 - "$corpus" "$recs" "$n" <<'PY'
import glob, json, os, sys
corpus, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = [l for p in sorted(glob.glob(os.path.join(corpus, "*.jsonl"))) for l in open(p, encoding="utf-8")]
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        record = json.loads(lines[i % len(lines)])
        f.write(json.dumps({"id": f"r{i}", "text": record["text"]}) + "\n")
PY
        out_lines=$("$bin" check --isolated --quiet --input-format jsonl --format records - < "$recs" | wc -l || true)
        ordered=$("$bin" check --isolated --quiet --input-format jsonl --format records - < "$recs" \
            | python3 -c 'import json,sys; print(all(json.loads(l)["id"] == f"r{i}" for i, l in enumerate(sys.stdin)))' || true)
        rss=$( { /usr/bin/time -f '%M' "$bin" check --isolated --quiet --input-format jsonl --format records - \
            < "$recs" 2>&1 >/dev/null || true; } | tail -1 | awk '{printf "%.1f", $1 / 1024}')
        echo "stream mode: $n records in ($(size_mb "$recs") MB), $out_lines lines out, in order: $ordered, peak RSS $rss MB"
    done

    if [ "$gb_jsonl" = 1 ]; then
        big="$work/jsonl/1gb.jsonl"
        if [ ! -f "$big" ]; then
            while [ "$(stat -c %s "$big" 2>/dev/null || echo 0)" -lt 1000000000 ]; do cat "$jsonl" >> "$big"; done
        fi
        t_big=$(runs=1 best_time "${copylint[@]}" --threads 2 "$big")
        echo "1 GB JSONL ($(size_mb "$big") MB): ${t_big}s with -j2," \
            "peak RSS $(peak_rss_mb "${copylint[@]}" --threads 2 "$big") MB"
    fi
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
t5=$(best_time "${copylint[@]}" "$long/line-5mb.txt")
t50=$(best_time "${copylint[@]}" "$long/line-50mb.txt")
echo
echo "single line: 5 MB ${t5}s, 50 MB ${t50}s (ratio $(echo "scale=1; $t50 / $t5" | bc -l), 10 is linear)," \
    "peak RSS $(peak_rss_mb "${copylint[@]}" "$long/line-50mb.txt") MB"

# duplicate-paragraph must not compare all pairs of paragraphs: a document of 100,000
# paragraphs with 1% near repeats must take less than 12x the time of one of 10,000.
dup="$here/target/bench-dup"
mkdir -p "$dup"
python3 - "$dup" <<'PY'
import os, random, sys
out = sys.argv[1]
rng = random.Random(4)
syllables = ["ka", "lo", "mi", "ten", "ra", "vos", "da", "pel", "si", "nor", "bu", "tha", "gre", "an", "qui", "zo"]
vocab = ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(20000)]
common = ["the", "a", "of", "and", "to", "in", "said", "was", "for", "on"]
def sentence():
    words = [rng.choice(vocab) if rng.random() < 0.7 else rng.choice(common) for _ in range(rng.randint(10, 30))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."
for n in (10_000, 100_000):
    path = os.path.join(out, f"blocks-{n}.txt")
    if os.path.exists(path):
        continue
    blocks = []
    for i in range(n):
        if i > 10 and rng.random() < 0.01:
            words = rng.choice(blocks[: i - 2]).split(" ")
            del words[rng.randrange(1, len(words) - 1)]   # a near repeat: one word dropped
            blocks.append(" ".join(words))
        else:
            blocks.append(sentence())
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(blocks) + "\n")
PY
t10k=$(best_time "$bin" check --isolated --quiet --format json --select duplicate-paragraph "$dup/blocks-10000.txt")
t100k=$(best_time "$bin" check --isolated --quiet --format json --select duplicate-paragraph "$dup/blocks-100000.txt")
found=$("$bin" check --isolated --quiet --format concise --select duplicate-paragraph "$dup/blocks-100000.txt" | wc -l || true)
echo
echo "duplicate-paragraph: 10,000 blocks ${t10k}s, 100,000 blocks ${t100k}s (ratio $(echo "scale=1; $t100k / $t10k" | bc -l), must be < 12; $found findings in the large one)"
