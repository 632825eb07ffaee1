#!/usr/bin/env python3
"""Cancel latency of ``actionplan cancel --wait`` on the sandbox.

For each run, by polling and by listening for notifications in turn: an
ONGOING plan of two 20-second sleeps, then
``watcher-ext actionplan cancel --wait``; the latency is the time from the
server marking the plan CANCELLED (its ``updated_at``) to our command's
exit. Also times the wait's reads of the plan (``--debug`` logs each
request as it goes): polls per second, from the first to the last (the
action counts are read only when the plan moved). Prints the medians over
``--runs`` runs.
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
TRANSPORT_URL_ENV = "WATCHER_TRANSPORT_URL"
#: (median latency, polls per second) targets of each way of waiting.
TARGETS = {"polling": (0.5, 1.0), "events": (0.1, 0.2)}


def server_time(text):
    return datetime.datetime.fromisoformat(text).timestamp()


def one_run(watcher, sleeps, poll_interval, events):
    """(latency, polls per second) of one cancel --wait; by polling, or
    listening for notifications when ``events``."""
    env = {**SANDBOX, "PATH": ""}
    if not events:
        env.pop(TRANSPORT_URL_ENV, None)
    elif TRANSPORT_URL_ENV not in env:
        raise SystemExit(f"the sandbox gives no {TRANSPORT_URL_ENV}")
    plan = watcher.ongoing_plan(sleeps)
    process = subprocess.Popen(
        [str(BIN / "watcher-ext"), "--debug", "actionplan", "cancel",
         plan["uuid"], "--wait", "120", "--poll-interval", str(poll_interval),
         "-f", "value", "-c", "State"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    # Each request is logged as it is sent: stamp them as they come.
    plan_reads = [time.time() for line in process.stderr
                  if line.startswith("REQ: curl -g -i -X GET")
                  and line.split()[6].endswith(plan["uuid"])]
    stdout = process.stdout.read()
    process.wait()
    ended = time.time()
    final = watcher.plan(plan["uuid"])
    if stdout.strip() != "CANCELLED" or final["state"] != "CANCELLED":
        raise SystemExit(f"plan did not end CANCELLED: {stdout}")
    # The first read is the cancel's own; the wait's polls follow.
    polls = plan_reads[1:]
    rate = (len(polls) - 1) / (polls[-1] - polls[0]) if len(polls) > 1 else 0
    return ended - server_time(final["updated_at"]), rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--poll-interval", type=float, default=1.0)
    args = parser.parse_args()
    watcher = Watcher(ENDPOINT)
    figures = {mode: ([], []) for mode in TARGETS}
    for run in range(args.runs):
        for mode in TARGETS:  # alternating, so both see the same machine
            # Durations differ per run: Watcher merges identical actions.
            # A first action long enough to show the steady polling rate.
            latency, rate = one_run(
                watcher, [20 + run / 10, 21 + run / 10], args.poll_interval,
                events=mode == "events")
            figures[mode][0].append(latency)
            figures[mode][1].append(rate)
            print(f"run {run + 1} {mode:8}: latency {latency * 1000:6.0f} ms,"
                  f" {rate:4.2f} polls/s", flush=True)
    for mode, (latencies, rates) in figures.items():
        latency = statistics.median(latencies)
        # Polls start an interval apart: what is above is log timing.
        rate = round(statistics.median(rates), 2)
        target_latency, target_rate = TARGETS[mode]
        met = latency < target_latency and rate <= target_rate
        print(f"{mode}: median cancel latency {latency * 1000:.0f} ms "
              f"(target < {target_latency * 1000:.0f} ms), "
              f"{rate:.2f} polls/s (target <= {target_rate:g}): "
              f"{'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
