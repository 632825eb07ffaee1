"""Audits: lookup by UUID or name, and creation."""

from watcherclient_ext.api import errors
from watcherclient_ext.api import lookup

#: Microversions of the optional audit fields.
START_END_TIME_VERSION = (1, 1)
FORCE_VERSION = (1, 2)


class Audits:
    def __init__(self, session):
        self._session = session

    def get(self, ident):
        """The audit named or identified by ``ident``."""
        try:
            return self._session.get(f"/v1/audits/{ident}")
        except errors.NotFound as exc:
            raise errors.NotFound(exc.status, f"Audit {ident} not found",
                                  request_id=exc.request_id) from exc

    def template_uuid(self, ident):
        if lookup.is_uuid(ident):
            return ident
        try:
            return self._session.get(f"/v1/audit_templates/{ident}")["uuid"]
        except errors.NotFound as exc:
            raise errors.NotFound(
                exc.status, f"Audit template {ident} not found",
                request_id=exc.request_id) from exc

    def create(self, fields):
        """POST the audit; optional fields are checked against the version."""
        if "force" in fields:
            self._session.require(FORCE_VERSION, "--force")
        if "start_time" in fields or "end_time" in fields:
            self._session.require(START_END_TIME_VERSION,
                                  "--start-time/--end-time")
        return self._session.post("/v1/audits", fields)
