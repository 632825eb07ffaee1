#!/usr/bin/env python3
"""Cost of the commands that read lists, with a short and a long history.

Starts a sandbox of its own (its own directory and ports), gives it a
history of ``--small`` finished plans, times each command and counts its
requests, then grows the history to ``--large`` plans and does the same.
The target: the same cost at both sizes wherever the API allows it.
Requests are counted from a ``--debug`` run of each command (keystoneauth
logs every request); times are medians of ``--runs`` runs without it.

    python benchmarks/history.py [--small 100] [--large 5000] [--runs 3]
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
BIN = pathlib.Path(sys.executable).parent
SANDBOX_PORTS = {"WATCHER_SANDBOX_API_PORT": "9362",
                 "WATCHER_SANDBOX_AMQP_PORT": "5712",
                 "WATCHER_SANDBOX_DIST_PORT": "25712",
                 "WATCHER_SANDBOX_EPMD_PORT": "4409"}


class Sandbox:
    def __init__(self, directory):
        self.env = {**os.environ, **SANDBOX_PORTS,
                    "WATCHER_SANDBOX_DIR": str(directory)}
        port = SANDBOX_PORTS["WATCHER_SANDBOX_API_PORT"]
        self.endpoint = f"http://127.0.0.1:{port}"

    def __call__(self, *args):
        done = subprocess.run(
            [sys.executable, str(REPO / "tools" / "sandbox"), *args],
            env=self.env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise SystemExit(f"tools/sandbox {' '.join(args)} failed:\n"
                             f"{done.stderr}")
        return done.stdout


def watcher_ext(sandbox, *args, debug=False):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(OS_AUTH_TYPE="none", OS_ENDPOINT=sandbox.endpoint)
    argv = [str(BIN / "watcher-ext")] + (["--debug"] if debug else [])
    started = time.monotonic()
    done = subprocess.run(argv + list(args), capture_output=True, text=True,
                          env=env, timeout=600)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"watcher-ext {' '.join(args)} failed:\n"
                         f"{done.stderr}")
    return elapsed, done.stdout, done.stderr.count("REQ: curl")


def commands(sandbox, held):
    """Each measured command: (label, argv maker).  A maker is called once
    per run, so commands that change state act on a fresh plan."""
    big = max(held["audits"], key=lambda a: a["plans"])["name"]

    def fresh_plan():
        _, out, _ = watcher_ext(sandbox, "audit", "create", "-g", "dummy",
                                "-s", "dummy", "--wait", "60", "-f", "value",
                                "-c", "UUID")
        return out.strip()

    def fresh_event_audit():
        _, out, _ = watcher_ext(sandbox, "audit", "create", "-t", "EVENT",
                                "-g", "dummy", "-s", "dummy", "-f", "value",
                                "-c", "UUID")
        return out.strip()

    return [
        ("actionplan list --state ONGOING,PENDING",
         lambda: ["actionplan", "list", "--state", "ONGOING,PENDING"]),
        ("actionplan cancel --state ONGOING (none running)",
         lambda: ["actionplan", "cancel", "--state", "ONGOING"]),
        ("actionplan list --audit BIG --limit 10",
         lambda: ["actionplan", "list", "--audit", big, "--limit", "10"]),
        # A new audit each time: Watcher 17 leaves a re-triggered audit
        # ONGOING. The trigger's pre-check still scans the whole history.
        ("webhook trigger --wait (a new EVENT audit)",
         lambda: ["webhook", "trigger", fresh_event_audit(), "--wait",
                  "120"]),
        ("audit create --wait (ONESHOT)",
         lambda: ["audit", "create", "-g", "dummy", "-s", "dummy", "--wait",
                  "60"]),
        ("actionplan show PLAN", lambda: ["actionplan", "show",
                                          fresh_plan()]),
        ("actionplan cancel PLAN", lambda: ["actionplan", "cancel",
                                            fresh_plan()]),
    ]


def measure(sandbox, held, runs):
    figures = {}
    for label, make in commands(sandbox, held):
        times = [watcher_ext(sandbox, *make())[0] for _ in range(runs)]
        requests = watcher_ext(sandbox, *make(), debug=True)[2]
        figures[label] = (statistics.median(times), requests)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="watcher-history-") as tmp:
        sandbox = Sandbox(tmp)
        print("starting a sandbox of its own ...", flush=True)
        try:
            sandbox("up")
            results = {}
            for size in (args.small, args.large):
                held = json.loads(sandbox("seed-history", "--plans",
                                          str(size), "--per-audit", "1200"))
                print(f"history: {held['total_plans']} plans", flush=True)
                results[size] = measure(sandbox, held, args.runs)
        finally:
            sandbox("down")
    small, large = results[args.small], results[args.large]
    print(f"\n{'command':52} {args.small:>6} plans {args.large:>6} plans"
          "   ratio")
    flat = True
    for label in small:
        (t1, r1), (t2, r2) = small[label], large[label]
        ratio = t2 / t1
        flat &= ratio < 1.5 and r2 <= r1 + 1
        print(f"{label:52} {t1:5.2f} s {r1:3d} rq {t2:5.2f} s {r2:3d} rq "
              f"{ratio:5.2f}x")
    print("same cost at both sizes (within 1.5x, at most one more request):"
          f" {'yes' if flat else 'NO'}")


if __name__ == "__main__":
    main()
