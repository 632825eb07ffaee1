"""How clients authenticate to the sandbox's Watcher: an auth mode.

A mode supplies what differs between the ways: the settings it reads, the
services it adds, its files and its part of watcher.conf, the variables
`env` exports, and the headers the sandbox's own probes send.  noauth is
here; keystone, with its service, in sandbox_lib.keystone.
"""

from collections import namedtuple

#: A mode's lines of watcher.conf: in [DEFAULT], in [api], and sections.
WatcherAuth = namedtuple("WatcherAuth", "default api sections")


class AuthMode:
    name = None
    #: The components of the services it adds.
    components = ()
    #: The variables `env` exports in this mode.
    exported = ()

    def __init__(self, context):
        self.context = context
        self.settings = context.settings
        self.layout = context.layout

    @classmethod
    def settings_from_env(cls):
        """Its own settings, as Settings fields."""
        return {}

    def services(self):
        """The services it adds, started before Watcher."""
        return []

    def configure(self, running):
        """Write its files; on every `up`."""

    def watcher_config(self):
        raise NotImplementedError

    def exports(self):
        """(variable, value) pairs for `env`, those of ``exported``."""
        raise NotImplementedError

    def probe_headers(self):
        """Headers for the sandbox's own calls to Watcher's API."""
        return {}

    def describe(self):
        """Where clients find it, for the line that `up` ends with."""
        return f"AMQP {self.settings.transport_url}"


class NoAuth(AuthMode):
    """Watcher asks no one: every request is admin."""

    name = "noauth"
    exported = ("OS_AUTH_TYPE", "OS_ENDPOINT")

    def configure(self, running):
        # Watcher asks no one who the caller is, and its default policy
        # wants the admin role, so this file lets every request in.
        self.layout.policy.write_text(
            '# noauth sandbox only: every caller may do everything.\n'
            '"admin_api": "@"\n'
            '"admin_or_service_api": "@"\n')

    def watcher_config(self):
        return WatcherAuth(
            "# noauth: no Keystone\nenable_authentication = false", "",
            f"[oslo_policy]\npolicy_file = {self.layout.policy}\n")

    def exports(self):
        return (("OS_AUTH_TYPE", "none"),
                ("OS_ENDPOINT", self.settings.api_url))
