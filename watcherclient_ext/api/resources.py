"""Generic reads and writes of the Watcher resources that resource_fields
describes; every write is sent once."""

import itertools

from watcherclient_ext import errors
from watcherclient_ext import identifiers
from watcherclient_ext.api import answers
from watcherclient_ext.api import listing
from watcherclient_ext.api import urls


def checked_ident(resource, ident):
    """``ident`` as the API takes it: any name or UUID where Watcher takes
    names, else a canonical UUID (a usage error, before any request)."""
    if resource.by_name:
        return ident
    noun = resource.noun
    return identifiers.require_uuid(ident, noun[:1].upper() + noun[1:])


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

    def _path(self, ident):
        return urls.path("v1", self.resource.collection,
                         checked_ident(self.resource, ident))

    def get(self, ident):
        """One item by UUID, or by name where Watcher takes names."""
        return self._session.get(self._path(ident))

    def uuid_of(self, ident):
        """The UUID of the item ``ident`` names, read only for a name."""
        uuid = identifiers.canonical_uuid(ident)
        if uuid is not None:
            return uuid
        path = self._path(ident)
        return answers.one(self._session.get(path), f"GET {path}",
                           ("uuid",))["uuid"]

    def require_field(self, name, feature):
        """Fail clearly when the session's microversion lacks field
        ``name``, which ``feature`` (an option) sets."""
        self._session.require(self.resource.field(name).since, feature)

    def create(self, fields):
        path = urls.path("v1", self.resource.collection)
        return answers.write_once(
            lambda: self._session.post(path, fields),
            f"creation of the {self.resource.noun}", path,
            lambda body: answers.one(body, f"POST {path}", ("uuid",)))

    def update(self, ident, patch, since=None):
        """Apply a JSON patch; ``since``, the microversion Watcher took
        such updates from."""
        path = self._path(ident)
        if since is not None:
            self._session.require(since, f"{self.resource.noun} update")
        return answers.write_once(
            lambda: self._session.patch(path, patch),
            f"update of {self.resource.noun} {ident}", ident,
            lambda body: answers.one(body, f"PATCH {path}", ("uuid",)))

    def delete(self, ident):
        path = self._path(ident)
        answers.write_once(lambda: self._session.delete(path),
                           f"deletion of {self.resource.noun} {ident}", ident)

    def delete_each(self, idents):
        """Delete each of ``idents`` in turn, whatever fails: yields
        ``(ident, None)`` once it is deleted, ``(ident, error)`` when not."""
        for ident in idents:
            try:
                self.delete(ident)
            except errors.WatcherClientError as exc:
                yield ident, exc
            else:
                yield ident, None

    def strategy_state(self, strategy):
        """A strategy's requirements: its goal, datasources, model."""
        return self._session.get(urls.path("v1", "strategies", strategy,
                                           "state"))

    def data_model(self, data_model_type="compute", audit=None):
        params = {"data_model_type": data_model_type}
        if audit:
            params["audit_uuid"] = audit
        return self._session.get(urls.path("v1", "data_model"), params=params)
