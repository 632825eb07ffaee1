"""An in-memory Watcher list API on requests-mock, paged as Watcher pages.

Lists sort by (sort_key, id) in one direction, start after ``marker``,
serve at most ``max_limit`` items and add ``next`` only to a full page:
what watcher/api/controllers/v1 and its database layer do.  Enough to test
readers among many without a real server (which has its own tests).
"""

import itertools
import re
import uuid as uuid_lib
from urllib import parse as urlparse

from tests.unit.conftest import ENDPOINT
from tests.unit.conftest import VERSIONS

_LIST = re.compile(re.escape(ENDPOINT) + r"/v1/(action_plans|actions)"
                   r"(/detail)?(\?.*)?$")
_PLAN = re.compile(re.escape(ENDPOINT) + r"/v1/action_plans/([0-9a-f-]{36})$")
#: What Watcher's plain (not /detail) list gives of each plan.
SHORT_PLAN_FIELDS = frozenset((
    "uuid", "state", "efficacy_indicators", "global_efficacy", "updated_at",
    "audit_uuid", "strategy_uuid", "strategy_name"))
#: The cancel Watcher accepts in each state.
CANCELS = {"RECOMMENDED": "CANCELLED", "PENDING": "CANCELLED",
           "ONGOING": "CANCELLING"}
_AUDIT = re.compile(re.escape(ENDPOINT) + r"/v1/audits/([^/?]+)$")


class FakeWatcher:
    def __init__(self, requests_mock, max_limit=1000):
        self.max_limit = max_limit
        self.plans = []
        self.actions = []
        self.audits = {}
        #: How many items each list request was served.
        self.served = []
        #: Audit reads still to answer 503, as an API restarting would.
        self.failing_audit_reads = 0
        #: Called with each list request's query before it is served: how
        #: a test changes the history while a reader pages through it.
        self.before_list = None
        self._ids = itertools.count(1)
        requests_mock.get(ENDPOINT + "/", json=VERSIONS)
        requests_mock.patch(_PLAN, json=self._patch)
        requests_mock.get(_LIST, json=self._list)
        requests_mock.get(_PLAN, json=self._plan)
        requests_mock.get(_AUDIT, json=self._audit)
        self.requests = requests_mock

    def add_audit(self, name="nightly", **fields):
        audit = {"uuid": str(uuid_lib.uuid4()), "name": name,
                 "audit_type": "EVENT", "state": "PENDING", "force": False}
        audit.update(fields)
        self.audits[audit["uuid"]] = audit
        return audit

    def add_plan(self, state="SUCCEEDED", audit_uuid=None, actions=()):
        """A plan, newer than every other; ``actions`` are their states."""
        plan = {"id": next(self._ids), "uuid": str(uuid_lib.uuid4()),
                "state": state, "audit_uuid": audit_uuid,
                "created_at": f"2026-01-01T00:00:{len(self.plans):06d}",
                "updated_at": None, "global_efficacy": []}
        self.plans.append(plan)
        for action_state in actions:
            self.actions.append({
                "id": next(self._ids), "uuid": str(uuid_lib.uuid4()),
                "action_plan_uuid": plan["uuid"], "state": action_state,
                "action_type": "nop", "status_message": None})
        return plan

    def list_requests(self):
        return [r for r in self.requests.request_history
                if _LIST.match(r.url)]

    def _list(self, request, context):
        kind, detail, _ = _LIST.match(request.url).groups()
        query = dict(urlparse.parse_qsl(urlparse.urlsplit(request.url).query))
        if self.before_list:
            self.before_list(query)
        items = self.plans if kind == "action_plans" else self.actions
        for name in ("audit_uuid", "action_plan_uuid"):
            if name in query:
                items = [i for i in items if i.get(name) == query[name]]
        key = query.get("sort_key", "id")
        descending = query.get("sort_dir", "asc") == "desc"

        def order(item):
            return (item[key], item["id"])

        items = sorted(items, key=order, reverse=descending)
        if "marker" in query:
            marker = order(next(i for i in self.plans + self.actions
                                if i["uuid"] == query["marker"]))
            items = [i for i in items
                     if (order(i) < marker if descending
                         else order(i) > marker)]
        limit = min(int(query.get("limit", self.max_limit)), self.max_limit)
        page = items[:limit]
        self.served.append(len(page))
        shown = (lambda k: k != "id") if detail or kind != "action_plans" \
            else SHORT_PLAN_FIELDS.__contains__
        body = {kind: [{k: v for k, v in i.items() if shown(k)}
                       for i in page]}
        if len(page) == limit:
            # Like Watcher's: its own host name, and the order, limit and
            # marker, but not the filters of the request.
            body["next"] = "http://watcher.internal/v1/%s%s?%s" % (
                kind, detail or "", urlparse.urlencode({
                    "sort_key": key, "sort_dir": query.get("sort_dir", "asc"),
                    "limit": limit, "marker": page[-1]["uuid"]}))
        return body

    def _plan(self, request, context):
        uuid = _PLAN.match(request.url).group(1)
        for plan in self.plans:
            if plan["uuid"] == uuid:
                return {k: v for k, v in plan.items() if k != "id"}
        context.status_code = 404
        return {"error_message": '{"faultstring": "not found"}'}

    def _patch(self, request, context):
        """Watcher's cancel: only from a state it can be cancelled in."""
        uuid = _PLAN.match(request.url).group(1)
        plan = next(p for p in self.plans if p["uuid"] == uuid)
        wanted = request.json()[0]["value"]
        if CANCELS.get(plan["state"]) != wanted:
            context.status_code = 400
            return {"error_message": '{"faultstring": "State transition '
                                     'not allowed"}'}
        plan["state"] = wanted
        return {k: v for k, v in plan.items() if k != "id"}

    def _audit(self, request, context):
        if self.failing_audit_reads:
            self.failing_audit_reads -= 1
            context.status_code = 503
            return {"error_message": '{"faultstring": "restarting"}'}
        ident = _AUDIT.match(request.url).group(1)
        for audit in self.audits.values():
            if ident in (audit["uuid"], audit["name"]):
                return audit
        context.status_code = 404
        return {"error_message": '{"faultstring": "not found"}'}
