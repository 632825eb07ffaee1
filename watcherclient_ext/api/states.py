"""Watcher's states and the moves between them: every table in one place.

Action plans, audits and webhooks read their rules here, and so do the
commands' checks and help texts.
"""

PLAN_STATES = ("RECOMMENDED", "PENDING", "ONGOING", "CANCELLING", "CANCELLED",
               "SUCCEEDED", "FAILED", "SUPERSEDED")
#: A plan that will not change any more (DELETED: soft-deleted by Watcher).
PLAN_END_STATES = ("CANCELLED", "SUCCEEDED", "FAILED", "SUPERSEDED",
                   "DELETED")
#: What cancelling means in each state that still can be cancelled.
CANCEL_TRANSITIONS = {
    "ONGOING": "CANCELLING",   # the applier finishes the running action
    "PENDING": "CANCELLED",
    "RECOMMENDED": "CANCELLED",
}
ALREADY_CANCELLED = ("CANCELLING", "CANCELLED")
#: States an emergency stop can select, in the order their cancels go out:
#: running plans first, then those queued behind them.
CANCEL_ORDER = ("ONGOING", "PENDING", "RECOMMENDED", "CANCELLING")
START_TRANSITIONS = {"RECOMMENDED": "PENDING"}
#: A start asked again: the plan is on its way, or got there.
ALREADY_STARTED = ("PENDING", "ONGOING", "SUCCEEDED")

AUDIT_TYPES = ("ONESHOT", "CONTINUOUS", "EVENT")
#: An audit in these states made no plan and will make none.
AUDIT_ENDED_WITHOUT_PLAN = ("FAILED", "CANCELLED")
#: The states in which Watcher accepts an EVENT audit's trigger.
TRIGGERABLE_STATES = ("PENDING", "SUCCEEDED")


def is_ended(plan):
    return plan["state"] in PLAN_END_STATES


def urgency(state):
    """Sort key of a cancel: running plans first, then the queued, then
    the merely recommended; a state unknown (an error reading) last."""
    return CANCEL_ORDER.index(state) if state in CANCEL_ORDER else len(
        CANCEL_ORDER)
