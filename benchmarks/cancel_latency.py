#!/usr/bin/env python3
"""Cancel latency of ``actionplan cancel --wait`` on the sandbox.

For each run: an ONGOING plan of two short sleeps, then
``watcher-ext actionplan cancel --wait``; the latency is the time from the
server marking the plan CANCELLED (its ``updated_at``) to our command's
exit. Also counts the requests the command sent (``--debug`` logs each
one), over its whole run, to show the polling rate. Prints the median
over ``--runs`` runs.
"""

import argparse
import datetime
import pathlib
import statistics
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tests.functional.conftest import ENDPOINT, SANDBOX, Watcher  # noqa

BIN = pathlib.Path(sys.executable).parent


def server_time(text):
    return datetime.datetime.fromisoformat(text).timestamp()


def one_run(watcher, sleeps, poll_interval):
    plan = watcher.ongoing_plan(sleeps)
    started = time.time()
    completed = subprocess.run(
        [str(BIN / "watcher-ext"), "--debug", "actionplan", "cancel",
         plan["uuid"], "--wait", "120", "--poll-interval", str(poll_interval),
         "-f", "value", "-c", "State"],
        capture_output=True, text=True, env={**SANDBOX, "PATH": ""})
    ended = time.time()
    final = watcher.plan(plan["uuid"])
    if completed.stdout.strip() != "CANCELLED" or (
            final["state"] != "CANCELLED"):
        raise SystemExit(f"plan did not end CANCELLED: {completed.stderr}")
    requests = completed.stderr.count("REQ: curl")
    return (ended - server_time(final["updated_at"]),
            requests / (ended - started))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--poll-interval", type=float, default=1.0)
    args = parser.parse_args()
    watcher = Watcher(ENDPOINT)
    latencies, rates = [], []
    for run in range(args.runs):
        # Durations differ per run: Watcher drops identical actions.
        latency, rate = one_run(watcher, [2 + run / 10, 3 + run / 10],
                                args.poll_interval)
        latencies.append(latency)
        rates.append(rate)
        print(f"run {run + 1}: latency {latency * 1000:6.0f} ms, "
              f"{rate:4.2f} requests/s", flush=True)
    latency, rate = statistics.median(latencies), statistics.median(rates)
    print(f"median cancel latency: {latency * 1000:.0f} ms (target < 500 "
          f"ms: {'met' if latency < 0.5 else 'NOT met'}); polling: "
          f"{rate:.2f} requests/s (target <= 1: "
          f"{'met' if rate <= 1 else 'NOT met'}) at --poll-interval "
          f"{args.poll_interval:g}")


if __name__ == "__main__":
    main()
