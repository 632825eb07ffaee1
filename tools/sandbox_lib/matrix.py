"""The noauth functional tests against several Watcher releases in turn.

    tools/test_matrix [--python PY] [--releases 14.1.2,17.0.0] [-- PYTEST ARGS]

For each release, one at a time: `tools/sandbox up` in a state dir of its
own (<WATCHER_SANDBOX_DIR or <repo>/.sandbox-matrix>-<version>), on the
ports of the WATCHER_SANDBOX_*_PORT variables, the tests of tests/functional
but keystone/, then `tools/sandbox down` (unless it was up before).  At the
end, a table: release, newest API microversion, passed, failed, skipped and
why, and the seconds spent.  Exit 0 when no test failed on any release.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from sandbox_lib import releases

TOOLS = Path(__file__).resolve().parents[1]
REPO = TOOLS.parent
SANDBOX = [sys.executable, str(TOOLS / "sandbox")]


class Outcome:
    """What one release's run gave."""

    def __init__(self, release):
        self.release = release
        self.max_api = "?"
        self.passed = self.failed = 0
        self.failures = []
        self.skips = collections.Counter()
        self.up_seconds = self.test_seconds = 0.0
        self.problem = None

    def read_junit(self, path):
        for case in ElementTree.parse(path).getroot().iter("testcase"):
            name = f"{case.get('classname')}.{case.get('name')}"
            if case.find("skipped") is not None:
                self.skips[case.find("skipped").get("message", "")] += 1
            elif (case.find("failure") is not None
                  or case.find("error") is not None):
                self.failed += 1
                self.failures.append(name)
            else:
                self.passed += 1


def newest_api_version(env):
    """The sandbox's newest microversion, from its version document."""
    lines = subprocess.run(SANDBOX + ["env"], env=env, capture_output=True,
                           text=True, check=True).stdout.splitlines()
    endpoint = next(line.split("=", 1)[1] for line in lines
                    if line.startswith("export OS_ENDPOINT="))
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(endpoint.strip("'") + "/", timeout=10) as response:
        return json.load(response)["default_version"]["max_version"]


def run_release(release, python, pytest_args, state_base):
    outcome = Outcome(release)
    state_dir = Path(f"{state_base}-{release.version}")
    env = dict(os.environ, WATCHER_SANDBOX_WATCHER_VERSION=release.version,
               WATCHER_SANDBOX_DIR=str(state_dir))
    was_up = subprocess.run(SANDBOX + ["status"], env=env,
                            capture_output=True).returncode == 0
    print(f"=== Watcher {release.version} ({release.series.name}) in "
          f"{state_dir}", flush=True)
    try:
        started = time.monotonic()
        if subprocess.run(SANDBOX + ["up"], env=env).returncode:
            outcome.problem = "tools/sandbox up failed"
            return outcome
        outcome.up_seconds = time.monotonic() - started
        outcome.max_api = newest_api_version(env)
        junit = state_dir / "junit.xml"
        junit.unlink(missing_ok=True)
        started = time.monotonic()
        subprocess.run(
            [python, "-m", "pytest", "tests/functional",
             "--ignore=tests/functional/keystone", f"--junitxml={junit}",
             "-p", "no:cacheprovider", *pytest_args], env=env, cwd=REPO)
        outcome.test_seconds = time.monotonic() - started
        if junit.exists():
            outcome.read_junit(junit)
        else:
            outcome.problem = "pytest wrote no results"
    finally:
        if not was_up:
            subprocess.run(SANDBOX + ["down"], env=env)
    return outcome


def table(outcomes):
    header = ("release", "series", "max API", "passed", "failed", "skipped",
              "up s", "tests s")
    rows = [header]
    for o in outcomes:
        rows.append((o.release.version, o.release.series.name, o.max_api,
                     str(o.passed), str(o.failed), str(sum(o.skips.values())),
                     f"{o.up_seconds:.0f}", f"{o.test_seconds:.0f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths))
             .rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    for o in outcomes:
        if o.problem:
            lines.append(f"{o.release.version}: {o.problem}")
        for name in o.failures:
            lines.append(f"{o.release.version} failed: {name}")
        for reason, count in sorted(o.skips.items()):
            lines.append(f"{o.release.version} skipped {count}: {reason}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="test_matrix", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default=sys.executable,
                        help="the Python that has pytest and this package "
                             "(default: this one)")
    parser.add_argument("--releases", default=",".join(
        releases.MATRIX), help="python-watcher versions, "
        "comma-separated (default: %(default)s)")
    parser.add_argument("pytest_args", nargs="*", metavar="PYTEST_ARG",
                        help="after --: more arguments for pytest")
    args = parser.parse_args(argv)
    try:
        chosen = [releases.Release.named(version.strip())
                  for version in args.releases.split(",")]
    except releases.ReleaseError as exc:
        parser.error(str(exc))
    state_base = (os.environ.get("WATCHER_SANDBOX_DIR")
                  or str(REPO / ".sandbox-matrix"))
    outcomes = []
    try:
        for release in chosen:
            outcomes.append(run_release(release, args.python,
                                        args.pytest_args, state_base))
    except KeyboardInterrupt:
        return 130
    finally:
        print("\n" + table(outcomes), flush=True)
    broken = [o for o in outcomes if o.failed or o.problem]
    return 1 if broken or len(outcomes) < len(chosen) else 0
