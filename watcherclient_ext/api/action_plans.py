"""Action plans: show, start, race-safe cancel, and waiting for the end."""

import collections
import dataclasses

from watcherclient_ext.api import errors
from watcherclient_ext.api import lookup
from watcherclient_ext.api import waiting

#: What cancelling means in each state that still can be cancelled.
CANCEL_TRANSITIONS = {
    "ONGOING": "CANCELLING",   # the applier finishes the running action
    "PENDING": "CANCELLED",
    "RECOMMENDED": "CANCELLED",
}
ALREADY_CANCELLED = ("CANCELLING", "CANCELLED")
END_STATES = ("CANCELLED", "SUCCEEDED", "FAILED", "SUPERSEDED", "DELETED")
#: Reads and retries when the plan's state moves between our GET and PATCH.
CANCEL_ATTEMPTS = 3
_TRANSITION_REFUSED = "State transition not allowed"


class NotCancellable(errors.WatcherClientError):
    """The plan already ended; there is nothing left to cancel."""


@dataclasses.dataclass
class CancelOutcome:
    plan: dict
    state_before: str
    sent: bool  # False when the plan was already cancelling or cancelled

    @property
    def summary(self):
        if not self.sent:
            return f"already {self.state_before}"
        return f"{self.state_before} -> {self.plan['state']}"


class ActionPlans:
    def __init__(self, session):
        self._session = session

    def get(self, uuid):
        lookup.require_uuid(uuid, "action plan")
        try:
            return self._session.get(f"/v1/action_plans/{uuid}")
        except errors.NotFound as exc:
            raise errors.NotFound(
                exc.status, f"Action plan {uuid} not found",
                request_id=exc.request_id) from exc

    def actions(self, uuid):
        body = self._session.get(
            "/v1/actions", params={"action_plan_uuid": uuid, "limit": 1000})
        return body.get("actions", [])

    def actions_by_state(self, uuid):
        counts = collections.Counter(a["state"] for a in self.actions(uuid))
        return dict(sorted(counts.items()))

    def list_for_audit(self, audit_uuid):
        body = self._session.get(
            "/v1/action_plans", params={"audit_uuid": audit_uuid})
        return body.get("action_plans", [])

    def ongoing(self):
        body = self._session.get("/v1/action_plans", params={"limit": 1000})
        return [plan for plan in body.get("action_plans", [])
                if plan["state"] == "ONGOING"]

    def _set_state(self, uuid, state):
        return self._session.patch(
            f"/v1/action_plans/{uuid}",
            [{"op": "replace", "path": "/state", "value": state}])

    def start(self, uuid):
        """RECOMMENDED -> PENDING: the applier picks the plan up."""
        plan = self.get(uuid)
        if plan["state"] != "RECOMMENDED":
            raise errors.InvalidInput(
                f"Action plan {uuid} is {plan['state']}; only a RECOMMENDED "
                "plan can be started")
        return self._set_state(uuid, "PENDING")

    def cancel(self, uuid):
        """Ask for the cancel that fits the plan's state now.

        Watcher answers 400 "State transition not allowed" when the state
        moved between our read and our PATCH (PENDING became ONGOING, say):
        then read again and send the transition that fits, a bounded number
        of times.
        """
        for _ in range(CANCEL_ATTEMPTS):
            plan = self.get(uuid)
            state = plan["state"]
            if state in ALREADY_CANCELLED:
                return CancelOutcome(plan, state, sent=False)
            if state not in CANCEL_TRANSITIONS:
                raise NotCancellable(
                    f"Action plan {uuid} is {state}; it has already ended "
                    "and cannot be cancelled")
            try:
                updated = self._set_state(uuid, CANCEL_TRANSITIONS[state])
            except errors.BadRequest as exc:
                if _TRANSITION_REFUSED not in exc.reason:
                    raise
                continue
            return CancelOutcome(updated, state, sent=True)
        raise errors.WatcherClientError(
            f"Action plan {uuid} changed state during each of "
            f"{CANCEL_ATTEMPTS} cancel attempts; run the command again")

    def wait_for_end(self, uuid, *, timeout=None,
                     poll_interval=waiting.DEFAULT_POLL_INTERVAL,
                     on_poll=None):
        """Poll until the plan is in an end state; return (plan, actions).

        ``actions`` maps action state -> count, for progress and summary.
        """
        def fetch():
            return self.get(uuid), self.actions_by_state(uuid)

        plan, actions = waiting.wait_for(
            fetch, lambda result: result[0]["state"] in END_STATES,
            timeout=timeout, poll_interval=poll_interval,
            on_poll=on_poll, describe=f"action plan {uuid} to end")
        return plan, actions
