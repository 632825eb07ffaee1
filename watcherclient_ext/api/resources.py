"""Generic reads of the Watcher resources that resource_fields describes."""

import itertools

from watcherclient_ext import identifiers
from watcherclient_ext.api import listing
from watcherclient_ext.api import urls


class Resources:
    """List and get one kind of resource, every page of a list read."""

    def __init__(self, session, resource):
        self._session = session
        self.resource = resource

    @property
    def api_version(self):
        return self._session.api_version

    def list(self, detail=False, limit=None, **params):
        """Every item, lazily, at most ``limit`` of them (None or 0: all);
        ``params`` that are None are not sent."""
        if limit:
            params["limit"] = limit
        segments = ("v1", self.resource.collection) + (
            ("detail",) if detail else ())
        params = {key: value for key, value in params.items()
                  if value is not None}
        return itertools.islice(
            listing.items(self._session, urls.path(*segments),
                          self.resource.collection, params), limit or None)

    def get(self, ident):
        """One item by UUID, or by name where Watcher takes names."""
        if not self.resource.by_name:
            ident = identifiers.require_uuid(ident, self.resource.noun)
        return self._session.get(
            urls.path("v1", self.resource.collection, ident))

    def strategy_state(self, strategy):
        """A strategy's requirements: its goal, datasources, model."""
        return self._session.get(urls.path("v1", "strategies", strategy,
                                           "state"))

    def data_model(self, data_model_type="compute", audit=None):
        params = {"data_model_type": data_model_type}
        if audit:
            params["audit_uuid"] = audit
        return self._session.get(urls.path("v1", "data_model"), params=params)
