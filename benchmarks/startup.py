#!/usr/bin/env python3
"""What our package costs at start-up, measured side by side.

1. ``openstack command list`` (loads every plugin and every command
   module) in a venv with our package and in a venv without it, and the
   import time of our modules inside that ``openstack`` process.
2. ``watcher-ext actionplan cancel --help`` against python-watcherclient's
   ``watcher actionplan cancel --help``.

Users install the package, not an editable checkout (whose import hook
costs every Python start), so two venvs are made on first use and kept:
``.venv-bench`` with this checkout installed, ``.venv-bench-bare`` with the
same python-openstackclient alone. ``WATCHERCLIENT_VENV`` holds
python-watcherclient. Prints medians of ``--runs`` runs.
"""

import argparse
import os
import pathlib
import re
import statistics
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
DEV = pathlib.Path(sys.executable).parent
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}


def run_ms(command):
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, env=CLEAN_ENV, check=True)
    return (time.perf_counter() - started) * 1000


def timed_side_by_side(first, second, runs):
    """Median wall times in ms of two commands, run alternately.

    Alternating keeps a load that comes and goes on the machine from
    favouring one side. One warm-up run each fills the OS caches.
    """
    run_ms(first)
    run_ms(second)
    samples = [(run_ms(first), run_ms(second)) for _ in range(runs)]
    return (statistics.median(a for a, _ in samples),
            statistics.median(b for _, b in samples))


def our_import_ms(bin_dir, runs):
    """Median import time, in ms, of our modules and all they alone pull in.

    ``-X importtime`` lists children before their parent, indented deeper;
    read backwards, each line's parent is already known.
    """
    samples = []
    for _ in range(runs):
        stderr = subprocess.run(
            [str(bin_dir / "python"), "-X", "importtime",
             str(bin_dir / "openstack"),
             "command", "list"], capture_output=True, text=True,
            env=CLEAN_ENV, check=True).stderr
        total, stack = 0, []  # (indent, counted) of the enclosing imports
        for line in reversed(stderr.splitlines()):
            match = re.match(r"import time:\s+(\d+) \|\s+\d+ \| (\s*)(\S+)",
                             line)
            if not match:
                continue
            indent = len(match.group(2))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            counted = (bool(stack) and stack[-1][1]) or match.group(
                3).startswith(("watcherclient_ext", "__editable__"))
            if counted:
                total += int(match.group(1))
            stack.append((indent, counted))
        samples.append(total / 1000)
    return statistics.median(samples)


def bench_venv(name, *requirements):
    """A venv holding ``requirements``, made once and kept."""
    venv = REPO / name
    if not (venv / "bin" / "openstack").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q",
                        *requirements], check=True, stderr=subprocess.DEVNULL)
    return venv / "bin"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    wc_venv = os.environ.get("WATCHERCLIENT_VENV")
    if not wc_venv:
        sys.exit("set WATCHERCLIENT_VENV to a venv with python-watcherclient "
                 "(make benchmark does)")
    osc = "python-openstackclient==" + subprocess.run(
        [str(DEV / "python"), "-c", "import importlib.metadata as m; "
         "print(m.version('python-openstackclient'))"],
        capture_output=True, text=True, check=True).stdout.strip()
    ours_bin = bench_venv(".venv-bench", osc, str(REPO))
    bare = bench_venv(".venv-bench-bare", osc)

    with_us, without = timed_side_by_side(
        [str(ours_bin / "openstack"), "command", "list"],
        [str(bare / "openstack"), "command", "list"], args.runs)
    imports = our_import_ms(ours_bin, args.runs)
    print(f"openstack command list, with our plugin:    {with_us:7.0f} ms")
    print(f"openstack command list, without it:         {without:7.0f} ms")
    print(f"difference (noise included):                "
          f"{with_us - without:+7.0f} ms")
    print(f"import time of our modules in openstack:    {imports:7.1f} ms"
          "   (target < 10 ms)")

    ours, theirs = timed_side_by_side(
        [str(ours_bin / "watcher-ext"), "actionplan", "cancel", "--help"],
        [str(pathlib.Path(wc_venv) / "bin" / "watcher"), "actionplan",
         "cancel", "--help"], args.runs)
    print(f"watcher-ext actionplan cancel --help:       {ours:7.0f} ms")
    print(f"watcher actionplan cancel --help (4.11):    {theirs:7.0f} ms")
    print(f"ratio:                                      {ours / theirs:7.0%}"
          "   (target <= 60 %)")


if __name__ == "__main__":
    main()
