"""The columns the action plan, audit and webhook commands print: one
place for their fields and labels, so no command borrows another's.

Fields and labels are python-watcherclient's where it shows the same
resource, so scripts keep working.
"""

from watcherclient_ext.formatting import columns

PLAN_FIELDS = ("uuid", "created_at", "updated_at", "deleted_at", "audit_uuid",
               "strategy_name", "state", "efficacy_indicators",
               "global_efficacy", "hostname", "status_message")
PLAN_LABELS = ("UUID", "Created At", "Updated At", "Deleted At", "Audit",
               "Strategy", "State", "Efficacy indicators", "Global efficacy",
               "Hostname", "Status Message")
SHORT_PLAN_FIELDS = ("uuid", "audit_uuid", "state", "updated_at",
                     "global_efficacy")
SHORT_PLAN_LABELS = ("UUID", "Audit", "State", "Updated At",
                     "Global efficacy")
#: What ``actionplan show`` and ``start`` print: the plan, the count of its
#: actions by state, and its FAILED actions with their reasons.
PLAN_SHOW_LABELS = PLAN_LABELS + ("Actions", "Failed Actions")
#: A row per plan of ``actionplan cancel``, whatever the number of plans.
CANCEL_LABELS = ("UUID", "State Before", "State After", "Result")

AUDIT_FIELDS = ("uuid", "name", "created_at", "updated_at", "deleted_at",
                "state", "audit_type", "parameters", "interval", "goal_name",
                "strategy_name", "scope", "auto_trigger", "next_run_time",
                "hostname", "start_time", "end_time", "force",
                "status_message")
AUDIT_LABELS = ("UUID", "Name", "Created At", "Updated At", "Deleted At",
                "State", "Audit Type", "Parameters", "Interval", "Goal",
                "Strategy", "Audit Scope", "Auto Trigger", "Next Run Time",
                "Hostname", "Start Time", "End Time", "Force",
                "Status Message")
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
