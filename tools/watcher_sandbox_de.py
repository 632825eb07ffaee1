"""Run watcher-decision-engine without Nova, for tools/sandbox.

The decision engine asks Nova for a cluster model on every audit, even for
strategies that never look at it (``dummy``, ``actuator``), and no option
turns that off.  Like Watcher's own functional tests, this launcher answers
the ``compute`` model request with an empty, up-to-date model; everything
else (RPC, database, planner, notifications) is the real Watcher.

Strategies that need real compute data fail their audit here, as they would
on a cloud without hypervisors.

Usage: <venv>/bin/python watcher_sandbox_de.py --config-file watcher.conf
"""

import sys

# Imported first, as the watcher-decision-engine script does: this package
# sets up the concurrency backend before anything else loads oslo.service.
from watcher.cmd.eventlet import decisionengine

from watcher.decision_engine.model import model_root
from watcher.decision_engine.model.collector import manager


class EmptyComputeCollector:
    """Stands in for the Nova collector: a cluster with nothing in it."""

    def __init__(self):
        # A fresh model per request, so that no audit sees another's changes.
        self._model = model_root.ModelRoot(stale=False)

    def get_latest_cluster_data_model(self):
        return self._model

    def get_audit_scope_handler(self, audit_scope):
        # An empty cluster is the same under every scope.
        return self

    def get_scoped_model(self, cluster_model):
        return cluster_model


_real_get_cluster_model_collector = (
    manager.CollectorManager.get_cluster_model_collector)


def get_cluster_model_collector(self, name, osc=None):
    if name == "compute":
        return EmptyComputeCollector()
    return _real_get_cluster_model_collector(self, name, osc=osc)


manager.CollectorManager.get_cluster_model_collector = (
    get_cluster_model_collector)

if __name__ == "__main__":
    sys.exit(decisionengine.main())
