"""OpenStackClient plugin hooks.

``openstack`` imports this module at every start, whatever the command, so
it imports nothing beyond the standard library; the API layer is imported
by :func:`make_client`, only when one of our commands runs.

Our commands are registered in the ``openstack.extension`` entry-point
group, which OSC loads after every plugin's own group: when
python-watcherclient is installed too, the command names we provide run our
classes, deterministically, and its other commands keep working.
"""

import os
import sys

from watcherclient_ext import option_types

API_NAME = "infra_optim_ext"
API_VERSION_OPTION = "os_infra_optim_api_version"
VERSION_ENV = "OS_INFRA_OPTIM_API_VERSION"
DEFAULT_API_VERSION = "latest"
_VERSION_FLAG = "--os-infra-optim-api-version"
_WATCHERCLIENT_PLUGIN = "watcherclient.osc.plugin"


def check_api_version(version):
    """Accept any value here; the session validates it with a clear error.

    Returning True also stops OSC from warning that a microversion such as
    1.4 is not in a list of major versions.
    """
    return True


def build_option_parser(parser):
    """Add ``--os-infra-optim-api-version`` unless python-watcherclient does.

    OSC imports every plugin module before asking any of them for options,
    so whether python-watcherclient's plugin is present is known here, in
    whatever order the plugins come. Two definitions of the option would
    make argparse fail for every ``openstack`` command.
    """
    if _WATCHERCLIENT_PLUGIN in sys.modules or any(
            _VERSION_FLAG in action.option_strings
            for action in parser._actions):
        return parser
    parser.add_argument(
        _VERSION_FLAG, metavar="<api-version>", type=option_types.api_version,
        default=os.environ.get(VERSION_ENV, DEFAULT_API_VERSION),
        help="Watcher API microversion, e.g. 1.4; default: the highest "
             f"that client and server both support (Env: {VERSION_ENV})")
    return parser


def requested_api_version(value):
    """The microversion the user asked for, or None to negotiate.

    python-watcherclient's option defaults to its own newest microversion;
    that default is not the user's choice, so it does not pin ours.
    """
    watcherclient_plugin = sys.modules.get(_WATCHERCLIENT_PLUGIN)
    given = VERSION_ENV in os.environ or any(
        arg.startswith(_VERSION_FLAG) for arg in sys.argv)
    if (watcherclient_plugin is not None and not given
            and value == getattr(watcherclient_plugin,
                                 "DEFAULT_API_VERSION", None)):
        return None
    return value


def guard(instance):
    """Mask the credentials OSC read, and clean every log line, from now
    on: called as one of our commands is made, before osc-lib asks
    Keystone for a token (whose error may echo the password)."""
    from watcherclient_ext import logsafety
    from watcherclient_ext import secrets

    # OSC has set up its log handlers and read the credentials by now:
    # those of the command line stay beside ``auth`` until osc-lib sets up
    # its auth plugin.
    logsafety.install()
    config = instance._cli_options.config
    secrets.remember_in(config)
    secrets.remember_in(config.get("auth") or {})


def make_client(instance):
    """Called by OSC's ClientManager the first time a command needs us."""
    from watcherclient_ext.api import client

    guard(instance)
    return client.WatcherClient.from_cloud_region(
        instance._cli_options, instance.session,
        requested_api_version(instance._api_version.get(API_NAME)))
