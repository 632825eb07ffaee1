"""Action plans: show, start, race-safe cancel, and waiting for the end."""

import collections
import dataclasses
import itertools

from watcherclient_ext import errors
from watcherclient_ext import identifiers
from watcherclient_ext.api import answers
from watcherclient_ext.api import listing
from watcherclient_ext.api import states
from watcherclient_ext.api import urls
from watcherclient_ext.api import waiting

#: Reads and retries when the plan's state moves between our GET and PATCH.
TRANSITION_ATTEMPTS = 3
_TRANSITION_REFUSED = "State transition not allowed"
#: Actions per page: the API's default maximum.
ACTIONS_PAGE = 1000
#: Plans in the first page of a scan by state, and in the largest: small
#: first, since a scan usually stops early.
SCAN_FIRST_PAGE, SCAN_LARGEST_PAGE = 10, 400
#: The newest plans read to find where a scan by state can start.
PROBE_SIZE = 20
#: Fields of a plan or an action the client reads, checked in every answer.
PLAN_TEXT, PLAN_OPTIONAL_TEXT = ("uuid", "state"), ("created_at",)
ACTION_TEXT = ("state",)
PLANS = urls.path("v1", "action_plans")
PLANS_DETAIL = urls.path("v1", "action_plans", "detail")
ACTIONS = urls.path("v1", "actions")
ACTIONS_DETAIL = urls.path("v1", "actions", "detail")


class NotCancellable(errors.WatcherClientError):
    """The plan already ended; there is nothing left to cancel."""

    exit_code = errors.EXIT_OTHER_END

    def __init__(self, message, state):
        super().__init__(message)
        self.state = state


class NotStartable(errors.WatcherClientError):
    """The plan ended, or is being cancelled: it will never run."""

    exit_code = errors.EXIT_OTHER_END

    def __init__(self, message, plan):
        super().__init__(message)
        self.plan = plan


@dataclasses.dataclass
class Outcome:
    """What a state change did: the plan after it, its state before."""

    plan: dict
    state_before: str
    sent: bool  # False when the plan already was where it was asked to go

    @property
    def summary(self):
        if not self.sent:
            return f"already {self.state_before}"
        return f"{self.state_before} -> {self.plan['state']}"


class ActionPlans:
    def __init__(self, session):
        self._session = session

    def get(self, uuid):
        uuid = identifiers.require_uuid(uuid, "Action plan")
        path = _plan_path(uuid)
        try:
            body = self._session.get(path)
        except errors.NotFound as exc:
            raise exc.saying(f"Action plan {uuid} not found") from exc
        return _checked_plan(body, f"GET {path}")

    def actions(self, uuid):
        """Every action of plan ``uuid``, all pages: a plan may hold more
        actions than one page."""
        return list(listing.items(
            self._session, ACTIONS, "actions",
            {"action_plan_uuid": uuid, "limit": ACTIONS_PAGE},
            text=ACTION_TEXT))

    def actions_by_state(self, uuid):
        counts = collections.Counter(a["state"] for a in self.actions(uuid))
        return dict(sorted(counts.items()))

    def list(self, *, audit=None, limit=None, marker=None, sort_key=None,
             sort_dir=None, detail=False):
        """Plans as Watcher orders them, lazily, every page followed.

        ``limit`` bounds the number of plans yielded (None: all of them).
        """
        params = {"audit_uuid": audit, "marker": marker,
                  "sort_key": sort_key, "sort_dir": sort_dir}
        if limit:
            params["limit"] = limit
        plans = listing.items(
            self._session, PLANS_DETAIL if detail else PLANS, "action_plans",
            {k: v for k, v in params.items() if v is not None},
            text=PLAN_TEXT, optional_text=PLAN_OPTIONAL_TEXT)
        return itertools.islice(plans, limit or None)

    def newest_of_audit(self, audit_uuid):
        """The audit's most recently created plan, or None: one small read
        whatever the audit's history (detailed, for its ``created_at``)."""
        plans, _ = self._page(PLANS_DETAIL, {
            "audit_uuid": audit_uuid, "sort_key": "id", "sort_dir": "desc",
            "limit": 1})
        return plans[0] if plans else None

    def _page(self, path, params):
        """One page of plans, checked: ``(plans, next link)``."""
        return answers.page(
            self._session.get(path, params=params), f"GET {path}",
            "action_plans", PLAN_TEXT, PLAN_OPTIONAL_TEXT)

    def in_states(self, states, *, audit=None, detail=False):
        """Every plan whose state is one of ``states``, lazily.

        Watcher cannot filter plans by state, and each plan it lists costs
        it several database reads, so a scan of a long history takes
        seconds per thousand plans.  Listed by (state, id), the wanted plans
        come together, and the scan stops after the last wanted state.  It
        starts after a marker found among the newest plans: the greatest
        plan, in that order, of an ended state that sorts below every
        wanted state.  Every plan with its state and a higher id is newer,
        so among those read, and every plan before it is of an unwanted
        state; the plans skipped are all of them.  An ended plan keeps its
        state, so the marker stays where it was found.  The cost is then
        the plans wanted, plus those of states that sort between the
        marker's and the wanted ones (none when the history holds a recent
        plan of the state just before), not the history.

        Watcher pages from its marker's state as it is when the page is
        asked for: a plan that moves meanwhile may be listed twice (it is
        yielded once), and one deleted meanwhile makes the scan start over.
        """
        wanted = set(states)
        lowest, highest = min(wanted), max(wanted)
        params = {"sort_key": "state", "sort_dir": "asc",
                  "limit": SCAN_FIRST_PAGE}
        if audit:
            params["audit_uuid"] = audit
        marker = self._state_marker(lowest, audit)
        if marker:
            params["marker"] = marker
        path = PLANS_DETAIL if detail else PLANS
        yielded = set()
        for _ in range(TRANSITION_ATTEMPTS):
            try:
                for plan in listing.items(self._session, path,
                                          "action_plans", params,
                                          grow_to=SCAN_LARGEST_PAGE,
                                          text=PLAN_TEXT,
                                          optional_text=PLAN_OPTIONAL_TEXT):
                    if plan["state"] > highest:
                        return
                    if plan["state"] in wanted and (
                            plan["uuid"] not in yielded):
                        yielded.add(plan["uuid"])
                        yield plan
                return
            except errors.NotFound:
                # A marker plan was deleted meanwhile: from the start.
                params.pop("marker", None)
        raise errors.WatcherClientError(
            "Action plans were deleted during each of "
            f"{TRANSITION_ATTEMPTS} reads; run the command again")

    def _state_marker(self, lowest, audit):
        """The greatest (state, id) ended plan below state ``lowest`` among
        the newest plans, or None."""
        params = {"sort_key": "id", "sort_dir": "desc", "limit": PROBE_SIZE}
        if audit:
            params["audit_uuid"] = audit
        newest, _ = self._page(PLANS, params)
        below = [(plan["state"], -position, plan["uuid"]) for position, plan
                 in enumerate(newest)
                 if plan["state"] < lowest and states.is_ended(plan)]
        return max(below)[2] if below else None

    def ongoing(self):
        """The first ONGOING plan found, or None."""
        return next(self.in_states(["ONGOING"]), None)

    def _set_state(self, uuid, state_before, state, verb):
        """The one PATCH of a transition: once sent, it stays sent, and a
        failure after it is :class:`answers.WriteUnconfirmed`."""
        path = _plan_path(uuid)
        return answers.write_once(
            lambda: self._session.patch(path, [
                {"op": "replace", "path": "/state", "value": state}]),
            f"{verb} of action plan {uuid} ({state_before} -> {state})",
            uuid, lambda body: _checked_plan(body, f"PATCH {path}"))

    def _transition(self, uuid, transitions, already, refuse, verb,
                    plan=None):
        """Send the transition that fits the plan's state now.

        Watcher answers 400 "State transition not allowed" when the state
        moved between our read and our PATCH (PENDING became ONGOING, say):
        then read again and send the transition that fits, a bounded number
        of times.  ``plan``, when given, is a fresh read to start from.
        """
        uuid = identifiers.require_uuid(uuid, "Action plan")
        for _ in range(TRANSITION_ATTEMPTS):
            plan = plan or self.get(uuid)
            state = plan["state"]
            if state in already:
                return Outcome(plan, state, sent=False)
            if state not in transitions:
                raise refuse(plan)
            try:
                updated = self._set_state(uuid, state, transitions[state],
                                          verb)
            except errors.BadRequest as exc:
                if _TRANSITION_REFUSED not in exc.reason:
                    raise
                plan = None
                continue
            return Outcome(updated, state, sent=True)
        raise errors.WatcherClientError(
            f"Action plan {uuid} changed state during each of "
            f"{TRANSITION_ATTEMPTS} attempts; run the command again")

    def start(self, uuid):
        """RECOMMENDED -> PENDING: the applier picks the plan up.

        Idempotent: a plan already PENDING, ONGOING or SUCCEEDED is not
        sent again; one that ended otherwise raises NotStartable.
        """
        def refuse(plan):
            return NotStartable(
                f"Action plan {uuid} is {plan['state']}; it will not run "
                "again: only a RECOMMENDED plan can be started", plan)
        return self._transition(uuid, states.START_TRANSITIONS,
                                states.ALREADY_STARTED,
                                refuse, "start")

    def cancel(self, uuid, plan=None):
        """Ask for the cancel that fits the plan's state now.

        Idempotent: a plan already CANCELLING or CANCELLED is not sent
        again; one that ended otherwise raises NotCancellable.
        """
        def refuse(plan):
            return NotCancellable(
                f"Action plan {uuid} is {plan['state']}; it has already "
                "ended and cannot be cancelled", plan["state"])
        return self._transition(uuid, states.CANCEL_TRANSITIONS,
                                states.ALREADY_CANCELLED,
                                refuse, "cancel", plan)

    def failed_actions(self, uuid):
        """The plan's FAILED actions, with ``status_message`` from API 1.5.
        """
        actions = listing.items(
            self._session, ACTIONS_DETAIL, "actions",
            {"action_plan_uuid": uuid, "limit": ACTIONS_PAGE},
            text=ACTION_TEXT)
        return [action for action in actions if action["state"] == "FAILED"]

    def wait_for_end(self, uuids, **wait_options):
        """Poll until every plan is in an end state, under one deadline.

        Returns ``{uuid: (plan, actions)}``, ``actions`` mapping action
        state -> count; raises WaitTimedOut with that mapping as last seen.
        ``wait_options`` are :func:`waiting.wait_for`'s.
        Each poll reads each unfinished plan once; its actions are read
        only when the plan's state or ``updated_at`` moved, so a long wait
        costs one small request per plan per poll.
        """
        polls = {uuid: _PlanPoll(self, uuid) for uuid in uuids}
        latest = {}

        def fetch():
            for uuid, poll in polls.items():
                if uuid not in latest or not states.is_ended(
                        latest[uuid][0]):
                    latest[uuid] = poll()
            return dict(latest)

        return waiting.wait_for(
            fetch,
            lambda seen: all(states.is_ended(p) for p, _ in seen.values()),
            describe="action plan " + ", ".join(uuids) + " to end",
            **wait_options)


def _plan_path(uuid):
    return urls.path("v1", "action_plans", uuid)


def _checked_plan(body, request):
    return answers.one(body, request, PLAN_TEXT, PLAN_OPTIONAL_TEXT)


class _PlanPoll:
    """One plan's state, its action counts re-read only when it moved."""

    def __init__(self, plans, uuid):
        self._plans = plans
        self._uuid = uuid
        self._mark = None
        self._actions = None

    def __call__(self):
        plan = self._plans.get(self._uuid)
        mark = (plan["state"], plan.get("updated_at"))
        if mark != self._mark:
            self._mark = mark
            self._actions = self._plans.actions_by_state(self._uuid)
        return plan, self._actions
