"""Run one Watcher service for tools/sandbox, fit for a sqlite database.

Usage: <venv>/bin/python watcher_sandbox_service.py SERVICE --config-file F
where SERVICE is api, applier or decisionengine.  It runs the module of the
installed python-watcher, in the package the release table
(sandbox_lib/releases.py) names: ``watcher.cmd.eventlet`` from 15.0 on,
``watcher.cmd`` before.

Two things differ from the installed ``watcher-*`` scripts; everything else
(RPC, database, planner, notifications) is the real Watcher.

* Every transaction starts with ``BEGIN IMMEDIATE``.  oslo.db opens sqlite
  transactions with a plain (deferred) ``BEGIN``; Watcher's updates read the
  row first, and a transaction that reads and then writes while another
  process is writing gets "database is locked" at once: sqlite does not wait
  there, since waiting could deadlock.  Three services share one file, so
  audits failed now and then.  ``BEGIN IMMEDIATE`` takes the write lock up
  front, where sqlite does wait (the connection's busy timeout).

* The decision engine runs without Nova.  It asks Nova for a cluster model
  on every audit, even for strategies that never look at it (``dummy``,
  ``actuator``), and no option turns that off.  Like Watcher's own
  functional tests, this launcher answers the ``compute`` model request with
  an empty, up-to-date model.  Strategies that need real compute data fail
  their audit here, as they would on a cloud without hypervisors.
"""

import importlib
import importlib.metadata
import sys

from sandbox_lib import releases

# Module name: the name its installed script has.
SERVICES = {"api": "watcher-api", "applier": "watcher-applier",
            "decisionengine": "watcher-decision-engine"}


def begin_immediate(conn, cursor, statement, parameters, context,
                    executemany):
    """Turn oslo.db's sqlite ``BEGIN`` into ``BEGIN IMMEDIATE``."""
    if statement == "BEGIN" and conn.dialect.name == "sqlite":
        statement = "BEGIN IMMEDIATE"
    return statement, parameters


class EmptyComputeCollector:
    """Stands in for the Nova collector: a cluster with nothing in it."""

    def __init__(self):
        from watcher.decision_engine.model import model_root
        # A fresh model per request, so that no audit sees another's changes.
        self._model = model_root.ModelRoot(stale=False)

    def get_latest_cluster_data_model(self):
        return self._model

    def get_audit_scope_handler(self, audit_scope):
        # An empty cluster is the same under every scope.
        return self

    def get_scoped_model(self, cluster_model):
        return cluster_model


def answer_compute_without_nova():
    from watcher.decision_engine.model.collector import manager
    real = manager.CollectorManager.get_cluster_model_collector

    def get_cluster_model_collector(self, name, osc=None):
        if name == "compute":
            return EmptyComputeCollector()
        return real(self, name, osc=osc)

    manager.CollectorManager.get_cluster_model_collector = (
        get_cluster_model_collector)


def import_service(service):
    """The module the installed ``watcher-SERVICE`` script runs."""
    release = releases.Release.named(
        importlib.metadata.version("python-watcher"))
    return importlib.import_module(
        f"{release.series.service_package}.{service}")


def main(argv):
    if not argv or argv[0] not in SERVICES:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(SERVICES)}}} "
                 "--config-file FILE")
    service = argv[0]
    # Imported first, as the watcher-* scripts do: this package sets up the
    # concurrency backend before anything else loads oslo.service.
    command = import_service(service)

    import sqlalchemy
    sqlalchemy.event.listen(sqlalchemy.engine.Engine, "before_cursor_execute",
                            begin_immediate, retval=True)
    if service == "decisionengine":
        answer_compute_without_nova()

    # oslo.config reads sys.argv: leave it as the installed script sees it.
    sys.argv = [SERVICES[service]] + argv[1:]
    return command.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
