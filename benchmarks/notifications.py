#!/usr/bin/env python3
"""How fast ``notifications tail`` reads the bus, against a bare consumer.

    python benchmarks/notifications.py [-n 50000]

Needs the sandbox (``tools/sandbox up``); its broker comes from
``tools/sandbox env``. For each consumer: start it, wait until its queue is
bound, pause it (SIGSTOP), publish N real notifications (the samples in
tests/data, cycled) to the ``watcher`` exchange, resume it and time it
until it has read N and exited. Each consumer thus reads at its own pace
from a full queue, whatever the publisher's speed. The notifications are
routed with a key that none of oslo.messaging's own queues is bound to, so
no backlog is left behind for the services' consumers.

Consumers: a bare kombu consumer that only decodes the envelope and the
message in it, with orjson as the tail does (the ceiling on this machine),
``tail -f json > /dev/null`` and the default table; for reference, the
same bare consumer with the standard library's json. Each runs several
times, interleaved, and medians are compared, so that other work on the
machine weighs on every consumer alike. CPU time per message is shown too,
being less sensitive to such work. Peak memory (RSS) is measured for N and
N/5: it should not grow with N.
"""

import argparse
import itertools
import os
import pathlib
import shlex
import signal
import statistics
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
SAMPLES = REPO / "tests" / "data" / "watcher-notifications.jsonl"
EXCHANGE = "watcher"
#: Matched by the consumers' binding (notifications.*), but by none of the
#: queues oslo.messaging declares (notifications.info, ...): nothing is
#: left behind for the services' own consumers.
ROUTING_KEY = "notifications.benchmark"
READY = "Listening on exchange"
TARGET = 0.70


def sandbox_url():
    out = subprocess.run(
        [sys.executable, str(REPO / "tools" / "sandbox"), "env"],
        check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        if name == "WATCHER_TRANSPORT_URL":
            return shlex.split(value)[0]
    sys.exit("tools/sandbox env gives no WATCHER_TRANSPORT_URL")


def kombu_url(transport_url):
    """kombu names oslo.messaging's rabbit:// scheme amqp://."""
    return "amqp://" + transport_url.split("://", 1)[1]


# --- the bare consumer, run as a child: ``--bare N URL LIBRARY`` -------------

def bare_consumer(count, url, library):
    """Decode the envelope and the message, nothing else."""
    import importlib

    import kombu

    loads = importlib.import_module(library).loads
    received = 0

    def on_message(message):
        nonlocal received
        loads(loads(message.body)["oslo.message"])
        received += 1

    with kombu.Connection(kombu_url(url)) as connection:
        channel = connection.channel()
        channel.exchange_declare(EXCHANGE, "topic", durable=False,
                                 auto_delete=False)  # as oslo.messaging
        queue, _, _ = channel.queue_declare(queue="", exclusive=True,
                                            auto_delete=True)
        channel.queue_bind(queue=queue, exchange=EXCHANGE,
                           routing_key="notifications.*")
        channel.basic_consume(queue=queue, no_ack=True, callback=on_message)
        print(f"{READY} {EXCHANGE} (bare consumer)", file=sys.stderr,
              flush=True)
        while received < count:
            connection.drain_events()


# --- the parent --------------------------------------------------------------

def publish(url, bodies, count):
    import kombu

    with kombu.Connection(kombu_url(url)) as connection:
        producer = connection.Producer()
        for body in itertools.islice(itertools.cycle(bodies), count):
            producer.publish(body, exchange=EXCHANGE, routing_key=ROUTING_KEY,
                             content_type="application/json",
                             content_encoding="utf-8")


def load_samples():
    return SAMPLES.read_text().splitlines()


def cpu_seconds(pid):
    """User + system CPU time a process has used so far."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1]
    utime, stime = fields.split()[11:13]
    return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")


def measure(argv, url, bodies, count):
    """(msg/s, CPU microseconds per message, peak RSS in MiB) of one
    consumer reading ``count`` messages from a full queue."""
    env = dict(os.environ, WATCHER_TRANSPORT_URL=url)
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, env=env)
    try:
        for line in child.stderr:
            if line.startswith(READY):
                break
        else:
            sys.exit(f"{argv[0]} ended before it was ready")
        os.kill(child.pid, signal.SIGSTOP)
        publish(url, bodies, count)
        cpu_before = cpu_seconds(child.pid)
        started = time.perf_counter()
        os.kill(child.pid, signal.SIGCONT)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
    except BaseException:
        child.kill()
        raise
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{shlex.join(argv)} failed: {child.stderr.read()}")
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return count / elapsed, cpu / count * 1e6, usage.ru_maxrss / 1024


def tail_argv(count, *options):
    watcher_ext = pathlib.Path(sys.executable).with_name("watcher-ext")
    return [str(watcher_ext), "notifications", "tail", "--count", str(count),
            *options]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50_000,
                        help="notifications per run (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each case, interleaved; medians are "
                             "compared (default: %(default)s)")
    parser.add_argument("--bare", nargs=3, metavar=("N", "URL", "LIBRARY"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        count, url, library = args.bare
        return bare_consumer(int(count), url, library)

    url = sandbox_url()
    bodies = load_samples()
    small = max(args.n // 5, 1)
    bare = [sys.executable, __file__, "--bare"]
    cases = {
        "bare kombu consumer": lambda n: bare + [str(n), url, "orjson"],
        "tail -f json": lambda n: tail_argv(n, "-f", "json"),
        "tail (table)": lambda n: tail_argv(n),
        "bare, stdlib json": lambda n: bare + [str(n), url, "json"],
    }
    print(f"{len(bodies)} sample notifications, cycled; broker "
          f"{url.split('@')[-1]}; {args.rounds} rounds, interleaved")
    runs = {}
    for round_number in range(1, args.rounds + 1):
        for name, argv in cases.items():
            for count in (small, args.n):
                rate, cpu, rss = measure(argv(count), url, bodies, count)
                runs.setdefault((name, count), []).append((rate, cpu, rss))
                print(f"  round {round_number}: {name:<20} N={count:>7,}  "
                      f"{rate:>7,.0f} msg/s  {cpu:5.0f} us CPU/msg  "
                      f"peak RSS {rss:5.1f} MiB", flush=True)
    print("Medians:")
    summary = {}
    for (name, count), results in runs.items():
        rate, cpu, rss = (statistics.median(column)
                          for column in zip(*results))
        summary[name, count] = rate, cpu
        print(f"  {name:<20} N={count:>7,}  {rate:>7,.0f} msg/s  "
              f"{cpu:5.0f} us CPU/msg  peak RSS {rss:5.1f} MiB "
              f"(max {max(r[2] for r in results):5.1f})")
    ceiling, ceiling_cpu = summary["bare kombu consumer", args.n]
    print(f"At N={args.n:,}, against the bare consumer "
          "(msg/s; CPU per message):")
    for name in list(cases)[1:]:
        rate, cpu = summary[name, args.n]
        print(f"  {name:<20} {rate / ceiling:6.1%}   {ceiling_cpu / cpu:6.1%}")
    reference = summary["bare, stdlib json", args.n][0]
    print(f"  tail -f json against the stdlib json bare consumer: "
          f"{summary['tail -f json', args.n][0] / reference:6.1%}")
    ratio = summary["tail -f json", args.n][0] / ceiling
    verdict = "met" if ratio >= TARGET else "NOT met"
    print(f"Target: -f json >= {TARGET:.0%} of the bare consumer's msg/s: "
          f"{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
