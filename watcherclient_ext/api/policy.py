"""What a refusal (HTTP 403) should say: who asked, and which role
Watcher's default policy wants for the rule it names.

Read from python-watcher 17.0.0's ``watcher/common/policies``: every rule
is ``rule:admin_api`` (role admin or administrator) but
``webhook:trigger``, ``rule:admin_or_service_api`` (those or service). A
cloud may change its policy; the message says it is the default.
"""

import re

ADMIN_ROLES = ("admin", "administrator")
#: The rules whose default wants other roles than ADMIN_ROLES.
DEFAULT_ROLES = {"webhook:trigger": ADMIN_ROLES + ("service",)}
_RULE = re.compile(r"Policy doesn't allow (\S+?) to be performed")


def roles_for(rule):
    """The roles Watcher's default policy gives ``rule`` to."""
    return DEFAULT_ROLES.get(rule, ADMIN_ROLES)


def advice(reason, caller):
    """The sentence to add to a 403 whose server reason is ``reason``;
    ``caller`` is "user U in project P", or None when unknown (no
    Keystone token: the noauth or a token-less endpoint)."""
    match = _RULE.search(reason)
    rule = match.group(1) if match else None
    roles = " or ".join(roles_for(rule))
    wanted = (f"Watcher's default policy gives {rule} to the {roles} role"
              if rule else
              f"Watcher's default policy wants the {roles} role")
    who = f"You are {caller}; " if caller else ""
    return f"{who}{wanted}"


def caller_of(access):
    """"user U in project P" from a keystoneauth AccessInfo, names
    preferred to IDs; None without one."""
    if access is None:
        return None
    user = access.username or access.user_id
    project = access.project_name or access.project_id
    if not user:
        return None
    where = f" in project {project}" if project else ""
    return f"user {user}{where}"
