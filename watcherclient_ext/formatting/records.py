"""The columns the action plan, audit and webhook commands print: one
place for their fields and labels, so no command borrows another's.

Fields and labels are :mod:`watcherclient_ext.resource_fields`' (so
python-watcherclient's, and scripts keep working); this module adds the
columns only these commands show.
"""

from watcherclient_ext import resource_fields
from watcherclient_ext.formatting import columns


def _names_and_labels(resource, detail=True):
    shown = resource.columns(detail=detail)
    return (tuple(field.name for field in shown),
            tuple(field.label for field in shown))


PLAN_FIELDS, PLAN_LABELS = _names_and_labels(resource_fields.ACTION_PLAN)
SHORT_PLAN_FIELDS, SHORT_PLAN_LABELS = _names_and_labels(
    resource_fields.ACTION_PLAN, detail=False)
#: What ``actionplan show`` and ``start`` print: the plan, the count of its
#: actions by state, and its FAILED actions with their reasons.
PLAN_SHOW_LABELS = PLAN_LABELS + ("Actions", "Failed Actions")
#: A row per plan of ``actionplan cancel``, whatever the number of plans.
CANCEL_LABELS = ("UUID", "State Before", "State After", "Result")

AUDIT_FIELDS, AUDIT_LABELS = _names_and_labels(resource_fields.AUDIT)
AUDIT_SHOW_LABELS = AUDIT_LABELS + ("Webhook URL",)
#: What ``audit create`` prints, with or without --wait: the audit, and
#: the plan it made when waited for.
AUDIT_CREATE_LABELS = AUDIT_SHOW_LABELS + ("Action Plan",)
#: What ``webhook trigger`` prints, with or without --wait.
TRIGGER_LABELS = ("Audit", "Name", "Webhook URL", "Result", "Action Plan",
                  "Action Plan State")
WEBHOOK_URL_LABELS = ("Audit", "Name", "Webhook URL")


def plan_columns(plan, actions, failed):
    """(labels, values) of :data:`PLAN_SHOW_LABELS`: ``actions`` counts
    the plan's actions by state, ``failed`` lists its FAILED ones."""
    labels, values = columns.select(plan, PLAN_FIELDS, PLAN_LABELS)
    return PLAN_SHOW_LABELS, values + (
        columns.StructuredColumn(actions), columns.StructuredColumn(failed))


def audit_values(audit, webhook_url=None):
    """The values of :data:`AUDIT_SHOW_LABELS`, as python-watcherclient
    shows an audit: no strategy is shown as "auto", the decision engine's
    choice."""
    if audit.get("strategy_name") is None:
        audit = dict(audit, strategy_name="auto")
    return columns.select(audit, AUDIT_FIELDS, AUDIT_LABELS)[1] + (
        webhook_url,)


def trigger_values(triggered):
    """The values of :data:`TRIGGER_LABELS` for an
    :class:`~watcherclient_ext.api.webhooks.Triggered`."""
    plan = triggered.plan or {}
    return (triggered.audit, triggered.name, triggered.url, triggered.result,
            plan.get("uuid"), plan.get("state"))
