"""One table of every Watcher resource the commands show.

Fields, labels and list field sets are python-watcherclient 4.11's
(``v1/resource_fields.py``), so that scripts reading its columns and
``-f json`` keys keep working.  A field Watcher added in a later
microversion names it, and is shown only when the session speaks it.
"""

import collections
import json

# Named tuples, not dataclasses: `openstack command list` imports every
# command module, and a dataclass costs half a millisecond to make.

#: One field: its key, python-watcherclient's label, the microversion that
#: brought it, what turns the server's value into the one
#: python-watcherclient shows (None: as is), and whether lists show the
#: server's value all the same (as its ``strategy list --detail`` does).
Field = collections.namedtuple(
    "Field", "name label since shown raw_in_lists",
    defaults=((1, 0), None, False))


class Resource(collections.namedtuple(
        "Resource", "noun collection fields short by_name", defaults=(True,))):
    """A resource: what an error calls one ("goal", "action"), its path
    segment under /v1 (the key of a page's items too), its fields, the
    names of those a list shows without --detail, and whether show
    accepts a name besides a UUID."""

    __slots__ = ()

    def columns(self, api_version=None, detail=True):
        """The fields shown at ``api_version`` (None: at any): all, or the
        short list in its own order (python-watcherclient's)."""
        if detail:
            chosen = self.fields
        else:
            by_name = {field.name: field for field in self.fields}
            chosen = (by_name[name] for name in self.short)
        return tuple(field for field in chosen
                     if api_version is None or field.since <= api_version)

    def field(self, name):
        return next(field for field in self.fields if field.name == name)


def _parameter_properties(spec):
    """A strategy's parameter properties as indented JSON text, as
    python-watcherclient shows them (an empty dict when there are none)."""
    properties = (spec or {}).get("properties") if isinstance(
        spec, dict) else None
    return json.dumps(properties, indent=2) if properties else {}


def _state_text(state):
    return json.dumps(state, indent=2) if isinstance(state, list) else state


def _auto_when_none(strategy):
    """No strategy is the decision engine's choice: python-watcherclient
    shows "auto"."""
    return "auto" if strategy is None else strategy


def _none_as_empty_text(parameters):
    """python-watcherclient shows a template without default parameters
    as "", in lists as when shown alone."""
    return parameters or ""


_TIMES = (Field("created_at", "Created At"), Field("updated_at", "Updated At"),
          Field("deleted_at", "Deleted At"))

GOAL = Resource(
    "goal", "goals",
    (Field("uuid", "UUID"), Field("name", "Name"),
     Field("display_name", "Display name"),
     Field("efficacy_specification", "Efficacy specification")),
    ("uuid", "name", "display_name"))

STRATEGY = Resource(
    "strategy", "strategies",
    (Field("uuid", "UUID"), Field("name", "Name"),
     Field("display_name", "Display name"), Field("goal_name", "Goal"),
     Field("parameters_spec", "Parameters spec",
           shown=_parameter_properties, raw_in_lists=True)),
    ("uuid", "name", "display_name", "goal_name"))

STRATEGY_STATE = Resource(
    "strategy requirement", "state",
    (Field("type", "Type"), Field("state", "State", shown=_state_text),
     Field("mandatory", "Mandatory"), Field("comment", "Comment")),
    ("type", "state", "mandatory", "comment"))

SCORING_ENGINE = Resource(
    "scoring engine", "scoring_engines",
    (Field("uuid", "UUID"), Field("name", "Name"),
     Field("description", "Description"), Field("metainfo", "Metainfo")),
    ("uuid", "name", "description"))

SERVICE = Resource(
    "service", "services",
    (Field("id", "ID"), Field("name", "Name"), Field("host", "Host"),
     Field("status", "Status"), Field("last_seen_up", "Last seen up")),
    ("id", "name", "host", "status"))

ACTION = Resource(
    "action", "actions",
    (Field("uuid", "UUID"), *_TIMES, Field("parents", "Parents"),
     Field("state", "State"), Field("action_plan_uuid", "Action Plan"),
     Field("action_type", "Action"), Field("input_parameters", "Parameters"),
     Field("description", "Description"),
     Field("status_message", "Status Message", since=(1, 5))),
    ("uuid", "parents", "state", "action_plan_uuid", "action_type"),
    by_name=False)

AUDIT_TEMPLATE = Resource(
    "audit template", "audit_templates",
    (Field("uuid", "UUID"), *_TIMES, Field("description", "Description"),
     Field("name", "Name"), Field("goal_name", "Goal"),
     Field("strategy_name", "Strategy"), Field("scope", "Audit Scope"),
     Field("default_parameters", "Default Parameters", since=(1, 7),
           shown=_none_as_empty_text)),
    ("uuid", "name", "goal_name", "strategy_name"))

AUDIT = Resource(
    "audit", "audits",
    (Field("uuid", "UUID"), Field("name", "Name"), *_TIMES,
     Field("state", "State"), Field("audit_type", "Audit Type"),
     Field("parameters", "Parameters"), Field("interval", "Interval"),
     Field("goal_name", "Goal"),
     Field("strategy_name", "Strategy", shown=_auto_when_none),
     Field("scope", "Audit Scope"), Field("auto_trigger", "Auto Trigger"),
     Field("next_run_time", "Next Run Time"), Field("hostname", "Hostname"),
     Field("start_time", "Start Time", since=(1, 1)),
     Field("end_time", "End Time", since=(1, 1)),
     Field("force", "Force", since=(1, 2)),
     Field("status_message", "Status Message", since=(1, 5))),
    ("uuid", "name", "audit_type", "state", "goal_name", "strategy_name",
     "auto_trigger"))

ACTION_PLAN = Resource(
    "action plan", "action_plans",
    (Field("uuid", "UUID"), *_TIMES, Field("audit_uuid", "Audit"),
     Field("strategy_name", "Strategy"), Field("state", "State"),
     Field("efficacy_indicators", "Efficacy indicators"),
     Field("global_efficacy", "Global efficacy"),
     Field("hostname", "Hostname"),
     Field("status_message", "Status Message", since=(1, 5))),
    ("uuid", "audit_uuid", "state", "updated_at", "global_efficacy"),
    by_name=False)

#: The compute data model: python-watcherclient's labels, whose detailed
#: list says "Server_UUID" where the short one says "Server UUID".
_COMPUTE_MODEL_DETAIL = (
    ("server_uuid", "Server_UUID"), ("server_name", "Server Name"),
    ("server_vcpus", "Server Vcpus"), ("server_memory", "Server Memory"),
    ("server_disk", "Server Disk"), ("server_state", "Server State"),
    ("node_uuid", "Node UUID"), ("node_hostname", "Node Host Name"),
    ("node_vcpus", "Node Vcpus"), ("node_vcpu_ratio", "Node Vcpu Ratio"),
    ("node_memory", "Node Memory"),
    ("node_memory_ratio", "Node Memory Ratio"), ("node_disk", "Node Disk"),
    ("node_disk_ratio", "Node Disk Ratio"), ("node_state", "Node State"))
COMPUTE_MODEL = Resource(
    "data model element", "context",
    tuple(Field(name, label) for name, label in _COMPUTE_MODEL_DETAIL),
    ("server_uuid", "server_name", "server_state", "node_uuid",
     "node_hostname"),
    by_name=False)
COMPUTE_MODEL_SHORT_LABELS = {"server_uuid": "Server UUID"}
DATA_MODEL_TYPES = ("compute", "storage", "baremetal")
