"""The sandbox's command line: up, down, status, env, seed-history."""

import argparse
import os
import sys
import textwrap

from sandbox_lib import keystone
from sandbox_lib import releases
from sandbox_lib import stack
from sandbox_lib.report import SandboxError
from sandbox_lib.report import tail
from sandbox_lib.settings import Layout

#: --help; the releases and versions come from their tables.
_HELP = """A real OpenStack Watcher ({default} or an older release) and
RabbitMQ, on 127.0.0.1 only.

    tools/sandbox up       start everything; installs what is missing
                           (RabbitMQ via apt as root, python-watcher and
                           Keystone each in a venv)
    tools/sandbox status   one line per component; exit 0 if all up, else 3
    tools/sandbox env      print export lines: eval "$(tools/sandbox env)"
    tools/sandbox down     stop what `up` started
    tools/sandbox down rabbitmq
                           stop only the components named; `up` starts
                           them again (a broker restart, for example)

Watcher runs without Nova: the decision engine sees an empty cluster, so
plans come from strategies that need no cluster data, such as goal/strategy
``dummy``, or ``actuator`` (goal ``unclassified``).  Watcher's services,
database, RPC, planner, applier and notifications are all real.

Two ways for clients to authenticate (--auth or WATCHER_SANDBOX_AUTH):
    noauth     (default, the quicker to start) Watcher asks no one: every
               request is admin; `env` gives OS_AUTH_TYPE=none, OS_ENDPOINT
    keystone   a real Keystone {keystone} beside Watcher, whose API checks
               every token and applies Watcher's default policy.  The
               catalog has service infra-optim in region RegionOne: public,
               and internal (the same API, called localhost).
               Users: admin (role admin, project admin), member (role member,
               project demo) and the service user watcher.  <dir>/clouds.yaml
               has clouds watcher-sandbox (admin) and watcher-sandbox-member;
               `env` gives OS_CLIENT_CONFIG_FILE and OS_CLOUD.  Passwords are
               made at the first `up` and kept until the Keystone or API
               port changes.

Settings, from the environment (two sandboxes need their own dir and ports):
    WATCHER_SANDBOX_DIR        state: config, database, logs, PIDs
                               (default <repo>/.sandbox)
    WATCHER_SANDBOX_WATCHER_VERSION
                               python-watcher release (default {default});
                               the maintained ones are {maintained}.
                               An older one installs with its branch's
                               upper-constraints-<series>.txt, found in
                               $WATCHER_SANDBOX_CONSTRAINTS_DIR (default
                               <repo>/../shared/constraints), and keeps its
                               own database in the state dir
    WATCHER_SANDBOX_VENV       venv holding python-watcher; reused if it has it
                               (default <repo>/.sandbox-venv for {default},
                               <repo>/.sandbox-venv-<version> for the others)
    WATCHER_SANDBOX_API_PORT   Watcher API (default 9322)
    WATCHER_SANDBOX_AMQP_PORT  RabbitMQ AMQP (default 5672)
    WATCHER_SANDBOX_DIST_PORT  RabbitMQ Erlang distribution (default 25672)
    WATCHER_SANDBOX_EPMD_PORT  Erlang port mapper (default 4369)
    WATCHER_SANDBOX_AUTH       noauth (default) or keystone; or --auth
  keystone mode only:
    WATCHER_SANDBOX_KEYSTONE_PORT   Keystone (default 5000)
    WATCHER_SANDBOX_KEYSTONE_VENV   venv holding Keystone; reused if it has
                                    it (default <repo>/.sandbox-keystone-venv)
    WATCHER_SANDBOX_WEBHOOKS_AUTH   Watcher's [api] enable_webhooks_auth:
                                    true (default) or false, which lets
                                    anyone trigger an EVENT audit's webhook

Logs are in <dir>/log; keystone.log has a line per request Keystone served.
`down` signals only the process groups that `up` started, by their saved
PIDs.  An epmd found running is used and left alone; one started here is
left running at `down` if other Erlang nodes use it.
"""


def _help():
    maintained = [f"{version} ({releases.Release.named(version).series.name})"
                  for version in releases.MATRIX]
    # The list goes on in the help's second column, after its lead-in.
    column, lead_in = " " * 31, "the maintained ones are "
    listed = textwrap.fill(
        ", ".join(maintained[:-1]) + " and " + maintained[-1], width=79,
        initial_indent=column + lead_in, subsequent_indent=column)
    listed = listed[len(column + lead_in):]
    return _HELP.format(default=releases.DEFAULT_VERSION,
                        keystone=keystone.VERSION, maintained=listed)


def main(argv=None):
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--auth", choices=stack.MODES,
        help="how clients authenticate (default: $WATCHER_SANDBOX_AUTH or "
             "noauth)")
    parser = argparse.ArgumentParser(
        prog="sandbox", description=_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True,
                                     metavar="{up,down,status,env,"
                                             "seed-history}")
    for name, help_text in (("up", "start everything (idempotent)"),
                            ("down", "stop what up started"),
                            ("status", "show components; exit 0 if all up, "
                                       f"{stack.EXIT_NOT_UP} if not"),
                            ("env", "print export lines for clients")):
        commands.add_parser(name, parents=[common], help=help_text)
    history = commands.add_parser(
        "seed-history", parents=[common],
        help="write a long history of finished action plans into the "
             "database (idempotent)")
    history.add_argument("--plans", type=int, default=5000,
                         help="finished plans in all (default: 5000)")
    history.add_argument("--per-audit", type=int, default=1200,
                         help="plans per history audit (default: 1200)")
    history.add_argument("--big-plan-actions", type=int, default=1500,
                         help="actions of the one big plan (default: 1500)")
    commands.choices["down"].add_argument(
        "components", nargs="*", metavar="COMPONENT",
        help=f"stop only these ({', '.join(stack.COMPONENTS)}); `up` "
             "starts them again")
    args = parser.parse_args(argv)
    unknown = set(getattr(args, "components", ())) - set(stack.COMPONENTS)
    if unknown:
        parser.error(f"no component {', '.join(sorted(unknown))}; choose "
                     f"from {', '.join(stack.COMPONENTS)}")

    try:
        sandbox = stack.Sandbox(
            Layout.from_env(),
            args.auth or os.environ.get("WATCHER_SANDBOX_AUTH")
            or stack.DEFAULT_MODE)
        if args.command == "up":
            with sandbox.locked():
                sandbox.up()
        elif args.command == "down":
            with sandbox.locked():
                sandbox.down(args.components or stack.COMPONENTS)
        elif args.command == "status":
            return sandbox.status()
        elif args.command == "seed-history":
            sandbox.seed_history(args.plans, args.per_audit,
                                 args.big_plan_actions)
        else:
            sandbox.env()
    except (SandboxError, releases.ReleaseError) as exc:
        print(f"sandbox: error: {exc}", file=sys.stderr)
        log = getattr(exc, "log", None)
        if log and (text := tail(log)):
            print(f"--- last lines of {log} ---\n{text}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
