#!/usr/bin/env python3
"""copylint corpus mode on Apache Spark: the findings of `copylint check --corpus`,
for corpora larger than one machine.

    spark-submit contrib/spark/copylint_corpus.py --copylint target/release/copylint \\
        --out findings.jsonl data/part-000.jsonl data/part-001.jsonl

1. Every partition of records is piped through `copylint signatures` (block hashes,
   exact hash, MinHash band keys and shingle set of each record).
2. Spark counts, per group (site), the documents of each block (`explode` + `groupBy`),
   finds exact-duplicate classes (`groupBy` on the exact hash), candidate pairs
   (`explode` band keys + `groupBy`), and verifies each pair by the exact Jaccard
   similarity of the two shingle sets (two joins and `array_intersect`). The verified
   edges go to the driver for union-find (duplicates are few).
3. The aggregates are written as `counts.jsonl` and `clusters.jsonl`, shipped to the
   executors, and every partition is piped through `copylint corpus-report`, which runs
   all the rules, the corpus rules reading the aggregates.

The output (`--format jsonl`, one finding per line, in input order) is the same as
`copylint check --corpus --format jsonl` on the same files, byte for byte, provided the
inputs are given in the same order with the same names, and copylint gets the same
config (`--config`; without it both runs should use `--isolated`).

Limits: inputs are plain (not gzipped) JSONL files with `\\n` line ends (byte offsets
come from Hadoop's TextInputFormat); the output format must be line-based (`jsonl`,
`concise`, `records`, `github`).
"""

import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile
import time

# In an LSH bucket with more members than this, a member is paired only with the first
# BUCKET_PAIRS (as `copylint check --corpus` does: src/corpus/mod.rs BUCKET_PAIRS).
BUCKET_PAIRS = 32
# The signature scheme this job understands (src/corpus/minhash.rs VERSION).
SIGNATURE_VERSION = 1


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="+", help="JSONL files, named as copylint names them")
    p.add_argument("--copylint", required=True, help="the copylint binary")
    p.add_argument("--out", required=True, help="the findings file to write")
    p.add_argument("--work", help="directory for counts.jsonl and clusters.jsonl (default: a temporary one)")
    p.add_argument("--config", help="copylint.toml for every copylint run (default: --isolated)")
    p.add_argument("--group-by", default="auto", help="copylint's --group-by")
    p.add_argument("--format", default="jsonl", choices=["jsonl", "concise", "records", "github"])
    p.add_argument("--check-args", default="", help="more arguments for corpus-report, e.g. '--select site-boilerplate'")
    p.add_argument("--min-docs", type=int, default=5,
                   help="keep block counts of at least this many documents (at most site-boilerplate's min-docs)")
    p.add_argument("--min-similarity", type=float, default=0.8,
                   help="duplicate-document's min-similarity")
    p.add_argument("--master", default=None, help="Spark master (default: spark-submit's, else local[2])")
    p.add_argument("--partitions", type=int, default=None, help="minimum partitions per input file")
    p.add_argument("--shuffle-partitions", type=int, default=4)
    return p.parse_args(argv)


def session(args):
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("copylint-corpus")
    if args.master or not os.environ.get("SPARK_MASTER"):
        builder = builder.master(args.master or "local[2]")
    # Local mode as measured on the project's machines: no UI, loopback only, few
    # shuffle partitions (the defaults of 200 cost more than the work on small inputs).
    builder = (
        builder.config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(args.shuffle_partitions))
        .config("spark.default.parallelism", str(args.shuffle_partitions))
    )
    if (args.master or "local").startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def path_order(path):
    """The order in which copylint walks inputs: by path component."""
    return [c for c in path.split("/") if c not in ("", ".")]


def shipped(name):
    """The local path of a file shipped with SparkContext.addFile."""
    from pyspark import SparkFiles

    path = SparkFiles.get(os.path.basename(name))
    mode = os.stat(path).st_mode
    if name.endswith("copylint") and not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def pipe_partition(command_of, ok_codes):
    """A mapPartitions function that feeds a partition's ((offset, line), index) records
    to one copylint process and yields its output lines."""

    def run(records):
        records = list(records)
        if not records:
            return
        (first_offset, _), first_index = records[0]
        data = "".join(line + "\n" for (_, line), _ in records).encode("utf-8")
        command = command_of(first_index + 1, first_offset)
        done = subprocess.run(command, input=data, capture_output=True)
        if done.returncode not in ok_codes:
            raise RuntimeError(
                f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode(errors='replace')[:2000]}"
            )
        # Lines end in "\n" only: str.splitlines() would also cut at U+2028, U+0085 and
        # other separators that JSON output carries unescaped.
        for out in done.stdout.decode("utf-8").split("\n"):
            if out:
                yield out

    return run


def signature_schema():
    from pyspark.sql.types import ArrayType, IntegerType, LongType, StringType, StructField, StructType

    return StructType(
        [
            StructField("v", IntegerType()),
            StructField("doc", StringType()),
            StructField("input", StringType()),
            StructField("line", LongType()),
            StructField("group", StringType()),
            StructField("lines", ArrayType(StringType())),
            StructField("exact", StringType()),
            StructField("bands", ArrayType(StringType())),
            StructField("shingles", ArrayType(StringType())),
        ]
    )


def bucket_pairs(members):
    """Candidate pairs of one LSH bucket, as copylint makes them."""
    members = sorted(members)
    for j in range(1, len(members)):
        for i in range(min(j, BUCKET_PAIRS)):
            yield (members[i], members[j])


class UnionFind:
    """Union-find whose root is the smallest member: the cluster's first document."""

    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        lo, hi = min(ra, rb), max(ra, rb)
        self.parent[hi] = lo


def jaccard(a, b):
    shared = len(a & b)
    union = len(a) + len(b) - shared
    return shared / union if union else 1.0


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    started = time.time()
    spark = session(args)
    sc = spark.sparkContext
    from pyspark.sql import functions as F

    copylint = os.path.abspath(args.copylint)
    sc.addFile(copylint)
    if args.config:
        sc.addFile(os.path.abspath(args.config))

    inputs = sorted(args.inputs, key=path_order)
    order = {name: i for i, name in enumerate(inputs)}
    group_by = args.group_by

    # The records of every input, with their byte offsets and line indices.
    records = []
    for name in inputs:
        conf = {}
        if args.partitions and os.path.exists(name):
            # Smaller splits make more partitions; each is a contiguous run of lines.
            size = max(1, -(-os.path.getsize(name) // args.partitions))
            conf["mapreduce.input.fileinputformat.split.maxsize"] = str(size)
        lines = sc.newAPIHadoopFile(
            name,
            "org.apache.hadoop.mapreduce.lib.input.TextInputFormat",
            "org.apache.hadoop.io.LongWritable",
            "org.apache.hadoop.io.Text",
            conf=conf,
        )
        records.append((name, lines.zipWithIndex().cache()))

    def config_args():
        return ["--config", shipped(args.config)] if args.config else ["--isolated"]

    # 1. Signatures.
    def signatures_of(name):
        def command(first_line, first_byte):
            return [shipped(copylint), "signatures", *config_args(), "--group-by", group_by,
                    "--stdin-filename", name, "--first-line", str(first_line),
                    "--first-byte", str(first_byte), "-"]
        return command

    sig_lines = sc.union(
        [rdd.mapPartitions(pipe_partition(signatures_of(name), {0})) for name, rdd in records]
    )
    sigs = spark.read.schema(signature_schema()).json(sig_lines)
    versions = [r.v for r in sigs.select("v").distinct().collect()]
    if any(v != SIGNATURE_VERSION for v in versions):
        raise SystemExit(f"copylint signatures version {versions}, this job reads {SIGNATURE_VERSION}")
    order_df = spark.createDataFrame([(n, i) for n, i in order.items()], ["input", "input_index"])
    sigs = sigs.join(F.broadcast(order_df), "input").cache()

    # 2a. Block document frequencies per group.
    grouped = sigs.where(F.col("group").isNotNull())
    group_docs = grouped.groupBy("group").agg(F.count("*").alias("docs"))
    block_docs = (
        grouped.select("group", F.explode("lines").alias("key"))
        .groupBy("group", "key")
        .agg(F.count("*").alias("docs"))
        .where(F.col("docs") >= args.min_docs)
    )

    # 2b. Exact duplicate classes: every document's representative is the first with the
    # same folded text.
    ordinal = F.struct(F.col("input_index"), F.col("line"))
    with_exact = sigs.where(F.col("exact").isNotNull())
    reps = with_exact.groupBy("exact").agg(F.min(ordinal).alias("rep"))
    docs = (
        with_exact.join(reps, "exact")
        .select("doc", "input", "line", "input_index", "rep", "bands", "shingles")
        .withColumn("ord", ordinal)
        .cache()
    )
    exact_members = (
        docs.where(F.col("ord") != F.col("rep"))
        .select("ord", "rep")
        .collect()
    )

    # 2c. Candidate pairs among representatives: documents sharing a band key.
    rep_docs = docs.where((F.col("ord") == F.col("rep")) & (F.size("bands") > 0))
    buckets = (
        rep_docs.select("ord", F.explode("bands").alias("band"))
        .groupBy("band")
        .agg(F.collect_list("ord").alias("members"))
        .where(F.size("members") > 1)
    )
    pairs = (
        buckets.rdd.flatMap(
            lambda row: bucket_pairs([(m.input_index, m.line) for m in row.members])
        )
        .distinct()
        .map(lambda p: (p[0][0], p[0][1], p[1][0], p[1][1]))
        .toDF(["a_input", "a_line", "b_input", "b_line"])
    )

    # 2d. Verify each pair by exact Jaccard similarity of the shingle sets.
    shingles = rep_docs.select(
        F.col("input_index").alias("i"), F.col("line").alias("l"), F.col("shingles").alias("s")
    )
    a = shingles.withColumnRenamed("i", "a_input").withColumnRenamed("l", "a_line").withColumnRenamed("s", "sa")
    b = shingles.withColumnRenamed("i", "b_input").withColumnRenamed("l", "b_line").withColumnRenamed("s", "sb")
    shared = F.size(F.array_intersect("sa", "sb"))
    verified = (
        pairs.join(a, ["a_input", "a_line"])
        .join(b, ["b_input", "b_line"])
        .withColumn("similarity", shared / (F.size("sa") + F.size("sb") - shared))
        .where(F.col("similarity") >= args.min_similarity)
        .select("a_input", "a_line", "b_input", "b_line")
        .collect()
    )

    # Union-find on the driver: members of exact classes and verified edges.
    uf = UnionFind()
    rep_of = {}
    for row in exact_members:
        member, rep = (row.ord.input_index, row.ord.line), (row.rep.input_index, row.rep.line)
        rep_of[member] = rep
        uf.union(member, rep)
    for row in verified:
        uf.union((row.a_input, row.a_line), (row.b_input, row.b_line))
    members = [m for m in uf.parent if uf.find(m) != m]
    firsts = {uf.find(m) for m in members}
    need = {rep_of.get(m, m) for m in members} | {rep_of.get(f, f) for f in firsts}
    # Names and shingle sets of the documents the findings mention.
    wanted = spark.createDataFrame(
        [(i, l) for (i, l) in need | firsts | set(members)] or [(-1, -1)], ["input_index", "line"]
    )
    info = {
        (r.input_index, r.line): r
        for r in docs.join(F.broadcast(wanted), ["input_index", "line"])
        .select("input_index", "line", "doc", "input", "shingles")
        .collect()
    }
    sets = {k: set(info[k].shingles or []) for k in need if k in info}

    work = args.work or tempfile.mkdtemp(prefix="copylint-corpus-")
    os.makedirs(work, exist_ok=True)
    counts_path = os.path.join(work, "counts.jsonl")
    clusters_path = os.path.join(work, "clusters.jsonl")
    with open(counts_path, "w", encoding="utf-8") as out:
        for row in group_docs.orderBy("group").collect():
            out.write(json.dumps({"group": row.group, "docs": row.docs}, ensure_ascii=False) + "\n")
        for row in block_docs.orderBy("group", "key").collect():
            out.write(json.dumps({"group": row.group, "key": row.key, "docs": row.docs}, ensure_ascii=False) + "\n")
    with open(clusters_path, "w", encoding="utf-8") as out:
        for m in sorted(members):
            first = uf.find(m)
            rep, first_rep = rep_of.get(m, m), rep_of.get(first, first)
            exact = rep == first_rep
            similarity = 1.0 if exact else jaccard(sets[rep], sets[first_rep])
            record = {
                "input": info[m].input,
                "line": m[1],
                "first": info[first].doc,
                "similarity": similarity,
                "exact": exact,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    aggregated = time.time()

    # 3. Findings: every partition through corpus-report with the aggregates.
    sc.addFile(counts_path)
    sc.addFile(clusters_path)
    extra = args.check_args.split()

    def report_of(name):
        def command(first_line, first_byte):
            return [shipped(copylint), "corpus-report", *config_args(),
                    "--counts", shipped(counts_path), "--clusters", shipped(clusters_path),
                    "--group-by", group_by, "--format", args.format, "--quiet", *extra,
                    "--stdin-filename", name, "--first-line", str(first_line),
                    "--first-byte", str(first_byte), "-"]
        return command

    with open(args.out, "w", encoding="utf-8") as out:
        for name, rdd in records:
            # Partitions come back in order: the findings keep the input order.
            for line in rdd.mapPartitions(pipe_partition(report_of(name), {0, 1})).toLocalIterator():
                out.write(line + "\n")
    finished = time.time()
    print(
        f"copylint-corpus: {sigs.count()} documents, {group_docs.count()} groups, "
        f"{block_docs.count()} counted blocks, {len(verified)} verified pairs, "
        f"{len(members)} duplicates; aggregates in {aggregated - started:.1f} s, "
        f"findings in {finished - aggregated:.1f} s; wrote {args.out} ({work})",
        file=sys.stderr,
    )
    spark.stop()


if __name__ == "__main__":
    main()
