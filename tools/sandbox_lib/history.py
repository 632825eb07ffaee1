"""A long history written straight into a sandbox Watcher's database.

A Watcher that has run for a year holds thousands of finished action plans:
CONTINUOUS audits make one every interval, alarms trigger EVENT audits
hundreds of times, and nobody purges them.  Making them through the API
would take hours; written as rows they take seconds, and the API serves them
like any other (Watcher reads every list from the database).

The history is:
- audits named ``history-NNN`` (EVENT, SUCCEEDED, goal and strategy dummy,
  so they can be triggered again) holding ``per_audit`` plans each, the
  last holding the remainder;
- finished plans, mostly SUCCEEDED, some CANCELLED, FAILED or SUPERSEDED,
  created over the year before now, each with one finished ``nop`` action;
- one SUCCEEDED plan, on audit ``history-actions``, with ``big_plan_actions``
  actions: more than one page of actions.

Seeding is idempotent: plans already seeded count towards ``plans``.
"""

import datetime
import itertools
import json
import sqlite3
import uuid

AUDIT_PREFIX = "history-"
BIG_PLAN_AUDIT = "history-actions"
#: The states of finished plans, in the proportions they are written.
FINISHED_STATES = (("SUCCEEDED", 7), ("CANCELLED", 1), ("FAILED", 1),
                   ("SUPERSEDED", 1))
BUSY_TIMEOUT = 30.0


def _cycle_states():
    pattern = [state for state, weight in FINISHED_STATES
               for _ in range(weight)]
    while True:
        yield from pattern


def _timestamps(count, now):
    """``count`` creation times over the year before ``now``, ascending."""
    year = datetime.timedelta(days=365)
    for index in range(count):
        yield now - year + year * index / max(count, 1)


def _fmt(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _row_id(db, table, column, value):
    row = db.execute(f"SELECT id FROM {table} WHERE {column} = ? AND "
                     "deleted = 0", (value,)).fetchone()
    return row[0] if row else None


def _make_audit(db, name, goal_id, strategy_id, moment):
    db.execute(
        "INSERT INTO audits (uuid, name, audit_type, state, parameters, "
        "goal_id, strategy_id, scope, auto_trigger, hostname, force, "
        "deleted, created_at, updated_at) VALUES "
        "(?, ?, 'EVENT', 'SUCCEEDED', '{}', ?, ?, '[]', 0, 'sandbox', 0, "
        "0, ?, ?)",
        (str(uuid.uuid4()), name, goal_id, strategy_id, _fmt(moment),
         _fmt(moment)))
    return _row_id(db, "audits", "name", name)


def _insert_plans(db, audit_id, strategy_id, moments, states):
    """Plans with one finished nop action each; returns how many."""
    plans, actions = [], []
    for moment in moments:
        plan_uuid = str(uuid.uuid4())
        state = next(states)
        plans.append((plan_uuid, audit_id, strategy_id, state, _fmt(moment),
                      _fmt(moment)))
        action_state = "SUCCEEDED" if state == "SUCCEEDED" else "CANCELLED"
        actions.append((str(uuid.uuid4()), plan_uuid, action_state,
                        _fmt(moment)))
    db.executemany(
        "INSERT INTO action_plans (uuid, audit_id, strategy_id, state, "
        "global_efficacy, deleted, created_at, updated_at) VALUES "
        "(?, ?, ?, ?, '[]', 0, ?, ?)", plans)
    db.executemany(
        "INSERT INTO actions (uuid, action_plan_id, action_type, "
        "input_parameters, state, parents, deleted, created_at, updated_at) "
        "SELECT ?, id, 'nop', '{\"message\": \"history\"}', ?, '[]', 0, ?, "
        "created_at FROM action_plans WHERE uuid = ?",
        [(a_uuid, state, created, p_uuid)
         for a_uuid, p_uuid, state, created in actions])
    return len(plans)


def _seed_big_plan(db, goal_id, strategy_id, count, moment):
    if _row_id(db, "audits", "name", BIG_PLAN_AUDIT) is not None:
        return None
    audit_id = _make_audit(db, BIG_PLAN_AUDIT, goal_id, strategy_id, moment)
    plan_uuid = str(uuid.uuid4())
    db.execute(
        "INSERT INTO action_plans (uuid, audit_id, strategy_id, state, "
        "global_efficacy, deleted, created_at, updated_at) VALUES "
        "(?, ?, ?, 'SUCCEEDED', '[]', 0, ?, ?)",
        (plan_uuid, audit_id, strategy_id, _fmt(moment), _fmt(moment)))
    plan_id = _row_id(db, "action_plans", "uuid", plan_uuid)
    parents = []
    rows = []
    for index in range(count):
        action_uuid = str(uuid.uuid4())
        rows.append((action_uuid, plan_id, json.dumps(
            {"message": f"step {index}"}), json.dumps(parents),
            _fmt(moment)))
        parents = [action_uuid]
    db.executemany(
        "INSERT INTO actions (uuid, action_plan_id, action_type, "
        "input_parameters, state, parents, deleted, created_at, updated_at) "
        "VALUES (?, ?, 'nop', ?, 'SUCCEEDED', ?, 0, ?, ?)",
        [row + (row[-1],) for row in rows])
    return plan_uuid


def seed(database, plans, per_audit, big_plan_actions):
    """Write the history; return a summary dict of what the sandbox holds."""
    # Watcher's columns hold naive UTC times.
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    db = sqlite3.connect(database, timeout=BUSY_TIMEOUT,
                         isolation_level=None)
    try:
        # The write lock first: Watcher's own services write this file too.
        db.execute("BEGIN IMMEDIATE")
        goal_id = _row_id(db, "goals", "name", "dummy")
        strategy_id = _row_id(db, "strategies", "name", "dummy")
        if goal_id is None or strategy_id is None:
            raise RuntimeError("goal or strategy 'dummy' is missing: has the "
                               "decision engine started once?")
        seeded = db.execute(
            "SELECT COUNT(*) FROM action_plans p JOIN audits a ON "
            "p.audit_id = a.id WHERE a.name LIKE ? AND a.name != ?",
            (AUDIT_PREFIX + "%", BIG_PLAN_AUDIT)).fetchone()[0]
        missing = max(0, plans - seeded)
        moments = _timestamps(missing, now - datetime.timedelta(hours=1))
        states = _cycle_states()
        # Names in use, deleted audits' too: one may be gone from the middle.
        taken = {name for (name,) in db.execute(
            "SELECT name FROM audits WHERE name LIKE ?",
            (AUDIT_PREFIX + "%",))}
        names = (name for name in (f"{AUDIT_PREFIX}{index:03d}"
                                   for index in itertools.count())
                 if name not in taken)
        while missing:
            batch = [next(moments) for _ in range(min(per_audit, missing))]
            audit_id = _make_audit(db, next(names), goal_id, strategy_id,
                                   batch[0])
            missing -= _insert_plans(db, audit_id, strategy_id, batch,
                                     states)
        _seed_big_plan(db, goal_id, strategy_id, big_plan_actions,
                       now - datetime.timedelta(hours=2))
        db.execute("COMMIT")
        return summary(db)
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    finally:
        db.close()


def summary(db):
    """What the history holds, as ``seed-history`` prints it."""
    audits = db.execute(
        "SELECT a.name, a.uuid, COUNT(p.id) FROM audits a JOIN action_plans "
        "p ON p.audit_id = a.id WHERE a.name LIKE ? GROUP BY a.id "
        "ORDER BY a.name", (AUDIT_PREFIX + "%",)).fetchall()
    big = db.execute(
        "SELECT p.uuid, COUNT(x.id) FROM action_plans p JOIN audits a ON "
        "p.audit_id = a.id JOIN actions x ON x.action_plan_id = p.id "
        "WHERE a.name = ? GROUP BY p.id", (BIG_PLAN_AUDIT,)).fetchone()
    total = db.execute("SELECT COUNT(*) FROM action_plans").fetchone()[0]
    return {
        "total_plans": total,
        "audits": [{"name": name, "uuid": audit_uuid, "plans": count}
                   for name, audit_uuid, count in audits
                   if name != BIG_PLAN_AUDIT],
        "big_plan": {"uuid": big[0], "actions": big[1]} if big else None,
    }
