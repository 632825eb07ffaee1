"""``watcher-ext``: the same commands as ``openstack optimize``, started fast.

The auth options match ``openstack``'s (``--os-cloud``, ``OS_*``,
``--os-auth-type none --os-endpoint URL``, ...). They are declared here with
argparse alone; keystoneauth1 is imported only when a command talks to
Watcher, so ``--help`` stays quick, and openstacksdk only for what our own
reading of clouds.yaml leaves to it (see :mod:`watcherclient_ext.api.auth`).
"""

import contextlib
import gc
import importlib.metadata
import logging
import os
import sys

from cliff import app
from cliff import command as cliff_command
from cliff import commandmanager

from watcherclient_ext import __version__
from watcherclient_ext import errors
from watcherclient_ext import option_types
from watcherclient_ext import secrets
from watcherclient_ext.osc import plugin

DISTRIBUTION = "python-watcherclient-ext"
COMMAND_GROUP = "watcherclient_ext.commands"

#: (option, environment variable, help) for the auth options of ``openstack``.
_AUTH_OPTIONS = (
    ("--os-cloud", "OS_CLOUD", "Cloud name in clouds.yaml"),
    ("--os-auth-type", "OS_AUTH_TYPE",
     "Authentication type: password, token, v3applicationcredential, "
     "none, ..."),
    ("--os-auth-url", "OS_AUTH_URL", "Identity (Keystone) URL"),
    ("--os-username", "OS_USERNAME", "User name"),
    ("--os-user-id", "OS_USER_ID", "User ID"),
    ("--os-password", "OS_PASSWORD", "Password"),
    ("--os-token", "OS_TOKEN", "Token (with --os-auth-type token)"),
    ("--os-project-name", "OS_PROJECT_NAME", "Project name to scope to"),
    ("--os-project-id", "OS_PROJECT_ID", "Project ID to scope to"),
    ("--os-user-domain-name", "OS_USER_DOMAIN_NAME", "User's domain name"),
    ("--os-user-domain-id", "OS_USER_DOMAIN_ID", "User's domain ID"),
    ("--os-project-domain-name", "OS_PROJECT_DOMAIN_NAME",
     "Project's domain name"),
    ("--os-project-domain-id", "OS_PROJECT_DOMAIN_ID", "Project's domain ID"),
    ("--os-domain-name", "OS_DOMAIN_NAME", "Domain name to scope to"),
    ("--os-domain-id", "OS_DOMAIN_ID", "Domain ID to scope to"),
    ("--os-system-scope", "OS_SYSTEM_SCOPE", "System scope, e.g. all"),
    ("--os-application-credential-id", "OS_APPLICATION_CREDENTIAL_ID",
     "Application credential ID"),
    ("--os-application-credential-secret",
     "OS_APPLICATION_CREDENTIAL_SECRET", "Application credential secret"),
    ("--os-endpoint", "OS_ENDPOINT",
     "Watcher endpoint; with --os-auth-type none, the URL of a Watcher "
     "without Keystone"),
    ("--os-interface", "OS_INTERFACE",
     "Endpoint interface in the catalog: public, internal or admin"),
    ("--os-region-name", "OS_REGION_NAME", "Region of the endpoint"),
    ("--os-cacert", "OS_CACERT", "CA bundle to verify TLS certificates"),
    ("--os-cert", "OS_CERT", "Client certificate for TLS"),
    ("--os-key", "OS_KEY", "Client certificate key for TLS"),
)


class ClientManager:
    """The ``client_manager`` our commands find on the app, as under OSC."""

    def __init__(self, options):
        self._options = options
        self._client = None
        self._tokens = None

    @property
    def infra_optim_ext(self):
        if self._client is None:
            self._client = self._make_client()
        return self._client

    def _make_client(self):
        from keystoneauth1 import exceptions as ks_exc

        from watcherclient_ext.api import auth
        from watcherclient_ext.api import client

        api_version = self._options.os_infra_optim_api_version
        try:
            login = auth.from_options(self._options)
            if login is None:
                return client.WatcherClient.from_cloud_region(
                    *self._cloud_region(), api_version)
            self._tokens = login.tokens
            return client.WatcherClient.connect(
                login.session, api_version=api_version, **login.endpoint)
        except ks_exc.ClientException as exc:
            raise errors.AuthenticationFailed(
                f"Cannot authenticate: {exc}") from exc

    def finish(self, error):
        """Keep the token for the next call (clouds.yaml's ``cache: {auth:
        true}``), or forget it if this call was refused."""
        if self._tokens is not None:
            self._tokens.save(refused=isinstance(
                error, errors.AuthenticationFailed) or getattr(
                error, "status", None) == 401)

    def _cloud_region(self):
        """``(CloudRegion, session)`` from ``openstack``'s own loader.

        Only it reads clouds.yaml; importing it costs a third of a second.
        """
        from openstack import exceptions as sdk_exc
        from osc_lib.cli import client_config

        try:
            with _unparsable_config_files() as unparsable:
                config = client_config.OSC_Config()
            if unparsable:
                path, error = unparsable[0]
                raise errors.InvalidInput(f"Cannot parse {path}: {error}")
            # OSC's loader: options and OS_* variables beat clouds.yaml.
            cloud = config.get_one(
                cloud=self._options.os_cloud, argparse=self._options,
                validate=True)
            secrets.remember_in(cloud.config.get("auth") or {})
            session = cloud.get_session()
            # As for the Keystone session we make: a password is never
            # re-sent to wherever a redirect points.
            session.redirect = False
            return cloud, session
        except sdk_exc.ConfigException as exc:
            raise errors.InvalidInput(str(exc).splitlines()[0]) from exc


@contextlib.contextmanager
def _unparsable_config_files():
    """``[(path, first line of the error)]`` of the clouds.yaml files
    openstacksdk skips as unparsable.

    It only logs a warning of several lines and goes on, to say later
    that the cloud was not found: the file's error is the one to show,
    in one line.
    """
    unparsable = []

    def skipped(record):
        if record.msg.startswith("Skipping config file") and (
                len(record.args) == 2):
            path, error = record.args
            unparsable.append((path, str(error).splitlines()[0]))
            return False
        return True

    logger = logging.getLogger("openstack.config")
    logger.addFilter(skipped)
    try:
        yield unparsable
    finally:
        logger.removeFilter(skipped)


class OwnCommands(commandmanager.CommandManager):
    """The commands our own distribution declares.

    cliff's manager asks stevedore, which goes through the entry points of
    every installed distribution; ``watcher-ext`` has only its own.
    """

    def load_commands(self, namespace):
        self.group_list.append(namespace)
        entry_points = importlib.metadata.distribution(
            DISTRIBUTION).entry_points.select(group=namespace)
        for entry_point in entry_points:
            self.commands[entry_point.name.replace("_", " ")] = entry_point


class WatcherExtApp(app.App):
    def __init__(self):
        super().__init__(
            description="Command-line client for OpenStack Watcher",
            version=__version__,
            command_manager=OwnCommands(COMMAND_GROUP),
            deferred_help=True)

    def build_option_parser(self, description, version, argparse_kwargs=None):
        parser = super().build_option_parser(
            description, version, argparse_kwargs)
        for option, env, help_text in _AUTH_OPTIONS:
            parser.add_argument(
                option, metavar=f"<{option[5:]}>",
                default=os.environ.get(env),
                help=f"{help_text} (Env: {env})")
        insecure = os.environ.get("OS_INSECURE")
        parser.add_argument(
            "--insecure", action="store_true",
            # Unset, clouds.yaml's ``insecure`` decides.
            default=(None if insecure is None
                     else option_types.truthy(insecure)),
            help="Do not verify TLS certificates (Env: OS_INSECURE)")
        parser.add_argument(
            "--os-api-timeout", metavar="<seconds>",
            type=option_types.positive_seconds,
            default=os.environ.get("OS_API_TIMEOUT"),
            help="Seconds to wait for each HTTP answer, Keystone's included "
                 "(Env: OS_API_TIMEOUT; clouds.yaml: api_timeout)")
        plugin.build_option_parser(parser)
        return parser

    def configure_logging(self):
        if self.options.debug:
            self.options.verbose_level = 3
        super().configure_logging()
        # Imported here, as everything but cliff is: --help stays quick.
        from watcherclient_ext import logsafety

        logsafety.install()
        if not self.options.debug:
            # It warns before each failure to reach the auth URL, which
            # our one-line error then reports.
            logging.getLogger("keystoneauth.identity.generic.base").setLevel(
                logging.ERROR)

    def run_subcommand(self, argv):
        try:
            self.command_manager.find_command(argv)
        except ValueError:
            # cliff says "not a watcher-ext command" and its suggestions
            # on stdout, where a script reads its data.
            stdout, self.stdout = self.stdout, self.stderr
            try:
                return super().run_subcommand(argv)
            finally:
                self.stdout = stdout
        return super().run_subcommand(argv)

    def interact(self):
        """The interactive shell, which needs standard input (no command
        reads it but ``--data @-``, which says so itself)."""
        if self.stdin is None:
            self.stderr.write("watcher-ext: standard input is closed: name "
                              "a command (see watcher-ext --help)\n")
            return
        super().interact()

    def prepare_to_run_command(self, cmd):
        if not gc.isenabled():  # off for start-up (watcherclient_ext.__main__)
            # What start-up made lives as long as the process: no later
            # collection, even in an hours-long tail, needs to walk it.
            gc.freeze()
            gc.enable()

    def clean_up(self, cmd, result, err):
        self.client_manager.finish(err)

    def initialize_app(self, argv):
        self.client_manager = ClientManager(self.options)
        # cliff's help names the distribution of a command that is not the
        # app's, which none of ours is; finding that out reads the metadata
        # of every installed distribution (0.15 s, even without --help).
        # Telling cliff's cache that it knows no distribution skips it.
        cliff_command._dists_by_mods = {}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if sys.stdout is None or sys.stderr is None:
        # Closed, a cancel would be sent and then fail to say so.
        if sys.stderr is not None:
            sys.stderr.write(
                "watcher-ext: standard output is closed; nothing was sent\n")
        return errors.EXIT_USAGE
    try:
        return WatcherExtApp().run(argv)
    finally:
        # At exit the interpreter's last garbage collection walks every
        # object the imports made: a tenth of a short command's time, for
        # objects that all end with the process anyway. Frozen objects are
        # left out of it; exit handlers and the flush of output still run.
        gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
