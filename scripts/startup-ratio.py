#!/usr/bin/env python3
"""startup-ratio.py BIN [N] times `BIN version` and `BIN ask` on the built-in
sample, N runs each (default 30), interleaved so that load hits both alike,
and prints the medians and their ratio (issue 16's target: ask within 2x).

    make build && python3 scripts/startup-ratio.py bin/askdb 30
"""
import os
import statistics
import subprocess
import sys
import time

binary = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
env = dict(os.environ, ASKDB_CONFIG="")
runs = {"version": [], "ask": []}
cmds = {"version": [binary, "version"], "ask": [binary, "ask", "-q", "How many customers are there?"]}
for _ in range(n):
    for name, cmd in cmds.items():
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
        runs[name].append(time.perf_counter() - start)
v, a = statistics.median(runs["version"]), statistics.median(runs["ask"])
print(f"version {v * 1000:.1f} ms, ask {a * 1000:.1f} ms, ratio {a / v:.2f} (load average {os.getloadavg()[0]:.1f}, {n} runs each)")
