#!/usr/bin/env python3
"""Latency of `copylint server`: start-up (spawn → initialize answered) and, on a
5,000-line article, the time from a didChange to its published diagnostics, minus the
150 ms debounce. Prints medians and the worst of N edits.

    cargo build --release && python3 scripts/bench_lsp.py [target/release/copylint] [N]
"""
import json, os, statistics, subprocess, sys, threading, time, queue

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "copylint")
N = int(sys.argv[2]) if len(sys.argv) > 2 else 30
DEBOUNCE = 0.150


def reader(stream, out):
    while True:
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            c = stream.read(1)
            if not c:
                return
            header += c
        length = int([l for l in header.split(b"\r\n") if l.startswith(b"Content-Length")][0].split(b":")[1])
        out.put((time.perf_counter(), json.loads(stream.read(length))))


def send(p, msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def main():
    seed = open(os.path.join(ROOT, "seeds", "000_db6636acdd834bc4.txt"), encoding="utf-8").read()
    text = ""
    while text.count("\n") < 5000:
        text += seed
    lines = text.count("\n")
    start = time.perf_counter()
    p = subprocess.Popen([BIN, "server", "--isolated"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    q = queue.Queue()
    threading.Thread(target=reader, args=(p.stdout, q), daemon=True).start()
    send(p, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": {}}})
    while True:
        t, m = q.get(timeout=10)
        if m.get("id") == 1:
            startup = t - start
            break
    send(p, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "file:///tmp/bench-lsp.txt"
    send(p, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
             "params": {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}})

    def wait_version(v):
        while True:
            t, m = q.get(timeout=30)
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == v:
                return t, len(m["params"]["diagnostics"])

    opened_at = time.perf_counter()
    t, count = wait_version(1)
    first = t - opened_at
    latencies = []
    for i in range(N):
        v = i + 2
        line = (i * 97) % lines
        sent = time.perf_counter()
        send(p, {"jsonrpc": "2.0", "method": "textDocument/didChange",
                 "params": {"textDocument": {"uri": uri, "version": v},
                            "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                                                "text": "x  "}]}})
        t, count = wait_version(v)
        latencies.append(t - sent - DEBOUNCE)
    send(p, {"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
    send(p, {"jsonrpc": "2.0", "method": "exit"})
    p.wait(timeout=10)
    ms = lambda s: f"{s * 1000:.1f} ms"
    print(f"document: {lines} lines, {len(text) / 1e6:.2f} MB, {count} findings")
    print(f"start-up (spawn → initialize answered): {ms(startup)}")
    print(f"first diagnostics after didOpen: {ms(first)}")
    print(f"after an edit, beyond the {int(DEBOUNCE * 1000)} ms debounce: median {ms(statistics.median(latencies))}, "
          f"worst {ms(max(latencies))} over {N} edits")


main()
