#!/usr/bin/env python3
"""What our package costs at start-up, measured side by side.

1. ``openstack command list`` (loads every plugin and every command
   module) in a venv with our package and in a venv without it, and the
   import time of our modules inside that ``openstack`` process.
2. ``watcher-ext`` against python-watcherclient's ``watcher``:
   ``actionplan cancel --help``; a real ``actionplan show PLAN`` on a
   Watcher without Keystone (``OS_AUTH_TYPE=none``); and, when a sandbox
   with Keystone is given, the same ``show`` with an openrc's ``OS_*``
   password variables, a token asked of Keystone each time. Beside the
   noauth ``show``, the time to import what any command that talks to
   Watcher needs (cliff, keystoneauth1, requests): the floor under it.
3. With that sandbox, the way most operators log in: ``OS_CLOUD`` and
   its clouds.yaml, for ``watcher-ext`` and for ``openstack optimize``;
   and ``watcher-ext`` once more with ``cache: {auth: true}`` in the
   clouds.yaml, whose warm-up call leaves a token for the measured ones.
   All of them take turns with python-watcherclient's ``watcher`` and its
   ``OS_*`` variables (it cannot read clouds.yaml).

Users install the package, not an editable checkout (whose import hook
costs every Python start), so two venvs are made on first use and kept:
``.venv-bench`` with this checkout installed (again at each run, so that
it measures the code at hand), ``.venv-bench-bare`` with the same
python-openstackclient alone.  ``WATCHERCLIENT_VENV`` holds
python-watcherclient.  Each pair of commands runs alternately, ``--runs``
times, after a warm-up; medians are printed, with their ratio and whether
it meets its target.
"""

import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[1]
DEV = pathlib.Path(sys.executable).parent
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
#: The noauth sandbox's API (tools/sandbox's default port).
DEFAULT_ENDPOINT = "http://127.0.0.1:9322"
KEYSTONE_CLOUD = "watcher-sandbox"
#: Ours over theirs, at most.
HELP_TARGET = 0.3
NOAUTH_TARGET = 0.4
PASSWORD_TARGET = 0.6
#: ``OS_CLOUD`` over ``watcher``'s ``OS_*``; over ``openstack optimize``'s
#: ``OS_CLOUD``; over our own ``OS_*``; a cached token over ``watcher``.
CLOUD_TARGET = 0.6
CLOUD_OVER_OSC_TARGET = 0.35
CLOUD_OVER_OS_VARIABLES_TARGET = 1.1
CACHED_TARGET = 0.3
#: What any ``watcher-ext`` command that talks to Watcher must import:
#: the floor under its time.
IMPORT_FLOOR = ("import cliff.app, cliff.show, keystoneauth1.session, "
                "keystoneauth1.loading, requests")
#: What importing our modules may cost inside ``openstack``.
PLUGIN_IMPORT_TARGET_MS = 10


def run_ms(command, env=None):
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, env=env or CLEAN_ENV,
                   check=True)
    return (time.perf_counter() - started) * 1000


def timed_side_by_side(runs, *commands):
    """Median wall times in ms of ``(command, env)`` pairs, run in turn.

    Taking turns keeps a load that comes and goes on the machine from
    favouring one of them. One warm-up run each fills the OS caches.
    """
    for command, env in commands:
        run_ms(command, env)
    samples = [[run_ms(command, env) for command, env in commands]
               for _ in range(runs)]
    return [statistics.median(column) for column in zip(*samples)]


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


def bench_venv(name, *requirements, checkout=None):
    """A venv holding ``requirements``, made once and kept; ``checkout``
    is installed again each time."""
    venv = REPO / name
    pip = [str(venv / "bin" / "pip"), "install", "-q"]
    if not (venv / "bin" / "openstack").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([*pip, *requirements], check=True,
                       stderr=subprocess.DEVNULL)
    if checkout:
        # Dependencies the checkout added since the venv was made, then the
        # checkout itself, even at an unchanged version.
        subprocess.run([*pip, str(checkout)], check=True,
                       stderr=subprocess.DEVNULL)
        subprocess.run([*pip, "--no-deps", "--force-reinstall",
                        str(checkout)], check=True, stderr=subprocess.DEVNULL)
    return venv / "bin"


def first_plan(endpoint, headers=None):
    """The UUID of a plan on that Watcher to show, or why there is none."""
    request = urllib.request.Request(endpoint + "/v1/action_plans?limit=1",
                                     headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            plans = json.load(answer)["action_plans"]
    except OSError as exc:
        return None, f"no answer from {endpoint} ({exc})"
    if not plans:
        return None, (f"no plan at {endpoint} (watcher-ext audit create "
                      f"-g dummy -s dummy makes one)")
    return plans[0]["uuid"], None


def keystone_sandbox(directory):
    """``(OS_* variables, Watcher endpoint, token)`` of its admin cloud."""
    import yaml
    from keystoneauth1 import session
    from keystoneauth1.identity import v3

    cloud = yaml.safe_load(
        clouds_yaml(directory).read_text())["clouds"][KEYSTONE_CLOUD]
    variables = {f"OS_{key.upper()}": str(value)
                 for key, value in cloud["auth"].items()}
    variables.update(OS_REGION_NAME=cloud["region_name"],
                     OS_INTERFACE=cloud.get("interface", "public"),
                     OS_IDENTITY_API_VERSION="3")
    keystone = session.Session(auth=v3.Password(**cloud["auth"]))
    endpoint = keystone.get_endpoint(service_type="infra-optim",
                                     interface="public")
    return variables, endpoint.rstrip("/"), keystone.get_token()


def clouds_yaml(directory):
    return pathlib.Path(directory) / "clouds.yaml"


def cloud_environments(directory, workdir):
    """``(OS_CLOUD env, the same with the token cache)``; the cache's
    clouds.yaml and cache directory are in ``workdir``."""
    import yaml

    config = yaml.safe_load(clouds_yaml(directory).read_text())
    cached = pathlib.Path(workdir) / "clouds.yaml"
    cached.write_text(yaml.safe_dump({**config, "cache": {"auth": True}}))
    cached.chmod(0o600)
    plain = {**CLEAN_ENV, "OS_CLOUD": KEYSTONE_CLOUD,
             "OS_CLIENT_CONFIG_FILE": str(clouds_yaml(directory))}
    return plain, {**plain, "OS_CLIENT_CONFIG_FILE": str(cached),
                   "XDG_CACHE_HOME": str(pathlib.Path(workdir) / "cache")}


def keystone_plan(directory):
    """``(OS_* variables, plan)`` on a keystone-mode sandbox, or
    ``(None, why not)``."""
    try:
        variables, endpoint, token = keystone_sandbox(directory)
    except Exception as exc:  # whatever it is, it is why there is none
        return None, f"no keystone-mode sandbox in {directory} ({exc})"
    plan, why_not = first_plan(endpoint, {"X-Auth-Token": token})
    return (variables, plan) if plan else (None, why_not)


class Report:
    def __init__(self):
        self.verdicts = []

    def pair(self, what, ours, theirs, target):
        print(f"{what}")
        self.times("watcher-ext", ours)
        self.times("watcher (python-watcherclient)", theirs)
        self.ratio("ratio", ours, theirs, target)

    @staticmethod
    def times(label, ms):
        print(f"  {label + ':':<41}{ms:8.0f} ms")

    def ratio(self, label, ours, theirs, target):
        ratio = ours / theirs
        met = ratio <= target
        self.verdicts.append(met)
        print(f"  {label + ':':<41}{ratio:8.2f}"
              f"   (target <= {target}: {'met' if met else 'NOT met'})")

    def verdict(self):
        print("all targets met" if all(self.verdicts) else
              f"{self.verdicts.count(False)} target(s) NOT met")


def keystone_figures(report, runs, plan, variables, cloud_env, cached_env,
                     watcher_ext, openstack, watcher):
    """Every way to log in through Keystone, taking turns."""
    show = ["actionplan", "show", plan, "-f", "json"]
    os_env = {**CLEAN_ENV, **variables}
    ours, cloud, cached, osc, theirs = timed_side_by_side(
        runs, ([watcher_ext, *show], os_env),
        ([watcher_ext, *show], cloud_env),
        ([watcher_ext, *show], cached_env),
        ([openstack, "optimize", *show], cloud_env),
        ([watcher, *show], os_env))
    report.pair("actionplan show, OS_* password (Keystone sandbox)", ours,
                theirs, PASSWORD_TARGET)
    print("actionplan show, OS_CLOUD and clouds.yaml (Keystone sandbox)")
    report.times("watcher-ext", cloud)
    report.times("watcher-ext, token cached (cache.auth)", cached)
    report.times("openstack optimize", osc)
    report.times("watcher with OS_* (it reads no clouds)", theirs)
    report.ratio("OS_CLOUD over watcher's OS_*", cloud, theirs,
                 CLOUD_TARGET)
    report.ratio("OS_CLOUD over our OS_*", cloud, ours,
                 CLOUD_OVER_OS_VARIABLES_TARGET)
    report.ratio("OS_CLOUD over openstack optimize's", cloud, osc,
                 CLOUD_OVER_OSC_TARGET)
    report.ratio("cached token over watcher's OS_*", cached, theirs,
                 CACHED_TARGET)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--checkout", default=str(REPO),
        help="the source tree to measure (default: this one), e.g. an "
             "older commit's, for a before/after")
    parser.add_argument(
        "--endpoint", default=DEFAULT_ENDPOINT,
        help="a Watcher without Keystone (default: %(default)s)")
    parser.add_argument(
        "--keystone-sandbox",
        default=os.environ.get("WATCHER_SANDBOX_KEYSTONE_DIR"),
        help="directory of a running keystone-mode sandbox, for the "
             "password figures (default: $WATCHER_SANDBOX_KEYSTONE_DIR; "
             "none: skipped)")
    args = parser.parse_args()
    wc_venv = os.environ.get("WATCHERCLIENT_VENV")
    if not wc_venv:
        sys.exit("set WATCHERCLIENT_VENV to a venv with python-watcherclient "
                 "(make benchmark does)")
    watcher = str(pathlib.Path(wc_venv) / "bin" / "watcher")
    osc = "python-openstackclient==" + subprocess.run(
        [str(DEV / "python"), "-c", "import importlib.metadata as m; "
         "print(m.version('python-openstackclient'))"],
        capture_output=True, text=True, check=True).stdout.strip()
    ours_bin = bench_venv(".venv-bench", osc, checkout=args.checkout)
    bare = bench_venv(".venv-bench-bare", osc)
    watcher_ext = str(ours_bin / "watcher-ext")
    report = Report()

    with_us, without = timed_side_by_side(
        args.runs, ([str(ours_bin / "openstack"), "command", "list"], None),
        ([str(bare / "openstack"), "command", "list"], None))
    imports = our_import_ms(ours_bin, args.runs)
    report.verdicts.append(imports < PLUGIN_IMPORT_TARGET_MS)
    print("openstack command list")
    print(f"  with our plugin:                          {with_us:7.0f} ms")
    print(f"  without it:                               {without:7.0f} ms")
    print(f"  difference (noise included):              "
          f"{with_us - without:+7.0f} ms")
    print(f"  import time of our modules in openstack:  {imports:7.1f} ms"
          f"   (target < {PLUGIN_IMPORT_TARGET_MS} ms: "
          f"{'met' if imports < PLUGIN_IMPORT_TARGET_MS else 'NOT met'})")

    report.pair("actionplan cancel --help", *timed_side_by_side(
        args.runs, ([watcher_ext, "actionplan", "cancel", "--help"], None),
        ([watcher, "actionplan", "cancel", "--help"], None)), HELP_TARGET)

    plan, why_not = first_plan(args.endpoint)
    if plan is None:
        print(f"actionplan show, noauth: skipped, {why_not}")
    else:
        show = ["actionplan", "show", plan, "-f", "json"]
        ours, theirs, floor = timed_side_by_side(
            args.runs,
            ([watcher_ext, *show], {**CLEAN_ENV, "OS_AUTH_TYPE": "none",
                                    "OS_ENDPOINT": args.endpoint}),
            # python-watcherclient's way to skip Keystone.
            ([watcher, *show], {**CLEAN_ENV, "OS_AUTH_TOKEN": "unused",
                                "OS_ENDPOINT_OVERRIDE": args.endpoint}),
            ([str(ours_bin / "python"), "-c", IMPORT_FLOOR], None))
        report.pair(f"actionplan show, noauth ({args.endpoint})", ours,
                    theirs, NOAUTH_TARGET)
        print(f"  floor: importing cliff, keystoneauth1,\n"
              f"         requests, and nothing else:        {floor:7.0f} ms"
              f"   ({floor / theirs:.2f} of watcher's time, before any "
              "work)")

    if not args.keystone_sandbox:
        print("actionplan show, OS_* password: skipped (no "
              "--keystone-sandbox or WATCHER_SANDBOX_KEYSTONE_DIR)")
    else:
        variables, plan = keystone_plan(args.keystone_sandbox)
        if variables is None:
            print(f"actionplan show, OS_* password: skipped, {plan}")
        else:
            with tempfile.TemporaryDirectory() as workdir:
                keystone_figures(report, args.runs, plan, variables,
                                 *cloud_environments(args.keystone_sandbox,
                                                     workdir),
                                 watcher_ext, str(ours_bin / "openstack"),
                                 watcher)
    report.verdict()


if __name__ == "__main__":
    main()
