"""The Watcher releases the sandbox runs, and what differs between them.

The one table of them: tools/sandbox installs and configures a release
from it, tools/watcher_sandbox_service.py finds a release's service
modules in it, tools/test_matrix and the Makefile take their list of
releases from it, and the functional tests their expectations.

Standard library only: tools/sandbox imports it with the system Python,
and the service launcher with Watcher's.  A release is picked by its
python-watcher version; its series (the OpenStack release) gives the
upper-constraints file that its dependencies are pinned to, as OpenStack
tests each stable branch.
"""

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_VERSION = "17.0.0"
# The newest patch release of every maintained series, oldest first:
# what `make test-matrix` runs.
MATRIX = ("14.1.2", "15.1.2", "16.0.2", "17.0.0")
# The oldest of them: `make test` runs the smoke tests on it.
SMOKE_VERSION = MATRIX[0]
# openstack/requirements' upper-constraints-<series>.txt files, beside the
# repository's clone unless WATCHER_SANDBOX_CONSTRAINTS_DIR says otherwise.
CONSTRAINTS_DIR_VARIABLE = "WATCHER_SANDBOX_CONSTRAINTS_DIR"

# Workarounds, by name: what the sandbox does differently for a release.
#: watcher-api crashes in its default threading mode (UnsupportedBackendError
#: from oslo.service's wsgi server): run it with eventlet.
API_NEEDS_EVENTLET = "api-needs-eventlet"
#: Watcher reads [api] enable_webhooks_auth when its API module is imported,
#: before its config file, so the webhook route is never public: keystone
#: mode lets tokenless requests through to Watcher's policy instead.
WEBHOOKS_AUTH_READ_EARLY = "webhooks-auth-read-early"

#: Server behaviours some functional tests need, and what a release
#: without one does instead.
BEHAVIOURS = {
    "cancel-ongoing": (
        "Watcher before 16.0 kills the running action of a cancelled "
        "ONGOING plan, and the plan ends FAILED, its actions left ONGOING "
        "and PENDING (taskflow cannot record the killed action)"),
    "retriggered-event-audit-stays-ongoing": (
        "Watcher before 16.0 ends a re-triggered EVENT audit as it should: "
        "no stuck audit to refuse"),
}


class ReleaseError(Exception):
    """A version tools/sandbox cannot run."""


@dataclass(frozen=True)
class Series:
    name: str
    #: The newest API microversion its Watcher serves.
    max_api_version: str
    # Pinned to its stable branch's constraints; False: the latest packages.
    constrained: bool
    #: The package of the modules its watcher-* scripts run.
    service_package: str
    workarounds: frozenset
    behaviours: frozenset


_EVENTLET_PACKAGE = "watcher.cmd.eventlet"
_OWN_BEHAVIOURS = frozenset(BEHAVIOURS)

# By python-watcher's major version.
SERIES = {
    14: Series("2025.1", "1.4", True, "watcher.cmd",
               frozenset({WEBHOOKS_AUTH_READ_EARLY}), frozenset()),
    15: Series("2025.2", "1.6", True, _EVENTLET_PACKAGE,
               frozenset({WEBHOOKS_AUTH_READ_EARLY}), frozenset()),
    16: Series("2026.1", "1.6", True, _EVENTLET_PACKAGE,
               frozenset({WEBHOOKS_AUTH_READ_EARLY}), _OWN_BEHAVIOURS),
    17: Series("master", "1.7", False, _EVENTLET_PACKAGE,
               frozenset({WEBHOOKS_AUTH_READ_EARLY, API_NEEDS_EVENTLET}),
               _OWN_BEHAVIOURS),
}


def _version(text):
    major, minor = text.split(".")
    return int(major), int(minor)


#: The newest microversion of any release here, as (major, minor).
NEWEST_API_VERSION = max(_version(series.max_api_version)
                         for series in SERIES.values())


@dataclass(frozen=True)
class Release:
    version: str
    series: Series

    @classmethod
    def named(cls, version):
        major = version.split(".", 1)[0]
        series = SERIES.get(int(major)) if major.isdigit() else None
        if series is None or version.count(".") != 2:
            raise ReleaseError(
                f"python-watcher {version!r} is not a release this sandbox "
                f"runs; use X.Y.Z with X one of "
                f"{', '.join(map(str, SERIES))} (e.g. {', '.join(MATRIX)})")
        return cls(version, series)

    @property
    def is_default(self):
        return self.version == DEFAULT_VERSION

    @property
    def max_api_version(self):
        """The newest microversion, as (major, minor)."""
        return _version(self.series.max_api_version)

    def needs(self, workaround):
        return workaround in self.series.workarounds

    def has(self, behaviour):
        """Whether the release behaves so; KeyError for an unknown one."""
        if behaviour not in BEHAVIOURS:
            raise KeyError(f"no server behaviour {behaviour!r}")
        return behaviour in self.series.behaviours

    @property
    def venv_name(self):
        """The default venv's name, beside the repository's files."""
        if self.is_default:
            return ".sandbox-venv"
        return f".sandbox-venv-{self.version}"

    @property
    def database_name(self):
        """One database per release: the schemas differ."""
        if self.is_default:
            return "watcher.sqlite"
        return f"watcher-{self.version}.sqlite"

    def constraints_file(self, repo):
        """The upper-constraints file pip installs with, or None."""
        if not self.series.constrained:
            return None
        folder = Path(os.environ.get(CONSTRAINTS_DIR_VARIABLE)
                      or Path(repo).parent / "shared" / "constraints")
        path = folder / f"upper-constraints-{self.series.name}.txt"
        if not path.is_file():
            raise ReleaseError(
                f"python-watcher {self.version} installs with {path.name} "
                f"(openstack/requirements, branch stable/{self.series.name})"
                f", which is not in {folder}; put it there or set "
                f"{CONSTRAINTS_DIR_VARIABLE}")
        return path.absolute()


def main(argv):
    """For the Makefile: `python3 tools/sandbox_lib/releases.py matrix`."""
    lists = {"matrix": ",".join(MATRIX), "smoke": SMOKE_VERSION,
             "default": DEFAULT_VERSION}
    if len(argv) != 1 or argv[0] not in lists:
        raise SystemExit(f"usage: releases.py {{{','.join(lists)}}}")
    print(lists[argv[0]])


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
