"""The Watcher releases tools/sandbox runs, and what differs between them.

Standard library only: tools/sandbox imports it with the system Python.
A release is picked by its python-watcher version; its series (the
OpenStack release) gives the upper-constraints file that its dependencies
are pinned to, as OpenStack tests each stable branch.
"""

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_VERSION = "17.0.0"
# The newest patch release of every maintained series, oldest first:
# what `make test-matrix` runs.
MATRIX = ("14.1.2", "15.1.2", "16.0.2", "17.0.0")
# openstack/requirements' upper-constraints-<series>.txt files, beside the
# repository's clone unless WATCHER_SANDBOX_CONSTRAINTS_DIR says otherwise.
CONSTRAINTS_DIR_VARIABLE = "WATCHER_SANDBOX_CONSTRAINTS_DIR"


class ReleaseError(Exception):
    """A version tools/sandbox cannot run."""


@dataclass(frozen=True)
class Series:
    name: str
    max_api_version: str
    # Pinned to its stable branch's constraints; None: the latest packages.
    constrained: bool


# By python-watcher's major version.
SERIES = {
    14: Series("2025.1", "1.4", True),
    15: Series("2025.2", "1.6", True),
    16: Series("2026.1", "1.6", True),
    17: Series("master", "1.7", False),
}


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
