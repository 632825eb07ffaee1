"""``notifications tail`` on the sandbox's real RabbitMQ and Watcher."""

import json
import os
import queue
import signal
import subprocess
import threading
import time
import uuid

import amqp.exceptions
import kombu
import pytest

from tests.functional.conftest import BIN
from tests.functional.conftest import REPO
from tests.functional.conftest import SANDBOX
from tests.functional.conftest import run
from tests.functional.conftest import sandbox

SAMPLES = (REPO / "tests" / "data" / "watcher-notifications.jsonl"
           ).read_text().splitlines()
READY = "Listening on exchange watcher"
BROKER = "amqp://" + SANDBOX["WATCHER_TRANSPORT_URL"].split("://", 1)[1]
ENTRY_POINTS = {"watcher-ext": ["watcher-ext"],
                "openstack": ["openstack", "optimize"]}


class Tail:
    """``notifications tail`` running in the background, its output read
    line by line as it comes."""

    def __init__(self, *args, entry_point="watcher-ext"):
        program, *prefix = ENTRY_POINTS[entry_point]
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        env.update(SANDBOX)
        self.process = subprocess.Popen(
            [str(BIN / program), *prefix, "notifications", "tail", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env, stdin=subprocess.DEVNULL)
        self.stdout, self.stderr = [], []
        self._lines = {"out": queue.Queue(), "err": queue.Queue()}
        for name, stream, kept in (("out", self.process.stdout, self.stdout),
                                   ("err", self.process.stderr, self.stderr)):
            threading.Thread(target=self._read, args=(stream, kept, name),
                             daemon=True).start()

    def _read(self, stream, kept, name):
        for line in stream:
            kept.append(line.rstrip("\n"))
            self._lines[name].put((time.monotonic(), line.rstrip("\n")))
        self._lines[name].put((time.monotonic(), None))

    def next_line(self, name, predicate, timeout=60):
        """(when, line) of the next line of stdout ("out") or stderr
        ("err") that satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                when, line = self._lines[name].get(
                    timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"no such line within {timeout}s: "
                                     f"{self.stdout} {self.stderr}")
            if line is None:
                raise AssertionError(f"tail ended first: rc "
                                     f"{self.process.wait()}, {self.stderr}")
            if predicate(line):
                return when, line

    def ready(self, timeout=60):
        """The name of the queue, once bound."""
        _, line = self.next_line("err", lambda text: text.startswith(READY),
                                 timeout)
        return line.split("(queue ", 1)[1].split(",", 1)[0]

    def finish(self, timeout=150):
        code = self.process.wait(timeout=timeout)
        ended = time.monotonic()
        self.process.stdout.close()
        self.process.stderr.close()
        return code, ended

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def tails():
    started = []

    def start(*args, **kwargs):
        started.append(Tail(*args, **kwargs))
        return started[-1]
    yield start
    for tail in started:
        tail.kill()


def queue_exists(name):
    with kombu.Connection(BROKER) as connection:
        try:
            connection.channel().queue_declare(queue=name, passive=True)
        except amqp.exceptions.NotFound:
            return False
        except amqp.exceptions.ResourceLocked:
            return True  # exclusive to its live owner
        return True


def assert_queue_gone(name, timeout=10):
    deadline = time.monotonic() + timeout
    while queue_exists(name):
        assert time.monotonic() < deadline, f"queue {name} left behind"
        time.sleep(0.2)


def notification(event_type):
    """A real sample body with a unique message id and this event type."""
    body = json.loads(SAMPLES[0])
    message = json.loads(body["oslo.message"])
    message.update(event_type=event_type, message_id=str(uuid.uuid4()))
    body["oslo.message"] = json.dumps(message)
    return json.dumps(body), message["message_id"]


def publish(*event_types, routing_key="notifications.info"):
    """Publish as oslo.messaging does; the message ids sent."""
    ids = []
    with kombu.Connection(BROKER) as connection:
        exchange = kombu.Exchange("watcher", "topic", durable=False,
                                  auto_delete=False)
        producer = connection.Producer()
        for event_type in event_types:
            body, message_id = notification(event_type)
            producer.publish(body, exchange=exchange, routing_key=routing_key,
                             content_type="application/json",
                             content_encoding="utf-8", declare=[exchange])
            ids.append(message_id)
    return ids


# --- a plan being cancelled --------------------------------------------------

@pytest.mark.server_behaviour("cancel-ongoing")
@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
def test_cancel_start_and_end_then_until_exits(watcher, tails, entry_point):
    plan = watcher.ongoing_plan([3, 4, 5])["uuid"]
    tail = tails("--until", "action_plan.cancel.end", "--resource", plan,
                 "--timeout", "120", "-f", "json", entry_point=entry_point)
    queue_name = tail.ready()
    assert queue_exists(queue_name)
    cancelled = run("watcher-ext", "actionplan", "cancel", plan)
    assert cancelled.returncode == 0, cancelled
    shown_at, _ = tail.next_line(
        "out", lambda line: "action_plan.cancel.end" in line, timeout=120)
    code, ended = tail.finish()
    assert code == 0, tail.stderr
    assert ended - shown_at < 3  # --until ends it, not --timeout
    events = [json.loads(line) for line in tail.stdout]
    kinds = [(e["event_type"], e["payload"].get("state")) for e in events
             if e["event_type"].startswith("action_plan.cancel.")]
    assert kinds == [("action_plan.cancel.start", "CANCELLING"),
                     ("action_plan.cancel.end", "CANCELLED")]
    assert events[-1]["event_type"] == "action_plan.cancel.end"
    assert events[-1]["payload"]["uuid"] == plan
    assert events[-1]["payload_object"]["name"] == "ActionPlanCancelPayload"
    assert all(plan in json.dumps(e) for e in events)
    assert_queue_gone(queue_name)
    watcher.wait_for_end(plan)


@pytest.mark.server_behaviour("cancel-ongoing")
def test_table_shows_the_cancel(watcher, tails):
    plan = watcher.ongoing_plan([3, 4, 5])["uuid"]
    tail = tails("--until", "action_plan.cancel.end", "--resource", plan,
                 "--event-type", "action_plan.*", "--timeout", "120",
                 "--max-width", "80")
    tail.ready()
    watcher.call("PATCH", f"/v1/action_plans/{plan}", json=[
        {"op": "replace", "path": "/state", "value": "CANCELLING"}])
    code, _ = tail.finish()
    assert code == 0, tail.stderr
    header, *rows = tail.stdout
    assert header.split()[:4] == ["TIME", "PRIO", "EVENT", "TYPE"]
    assert all(len(line) <= 80 for line in tail.stdout)
    cancels = [row.split()[2:5] for row in rows if "cancel" in row]
    assert cancels == [["action_plan.cancel.start", plan[:8] + "…",
                        "CANCELLING"],
                       ["action_plan.cancel.end", plan[:8] + "…",
                        "CANCELLED"]]
    watcher.wait_for_end(plan)


@pytest.mark.smoke
def test_until_the_plan_a_trigger_makes(watcher, tails):
    audit = watcher.create_audit(audit_type="EVENT", goal="dummy",
                                 strategy="dummy")
    tail = tails("--until", "action_plan.create", "--resource",
                 audit["uuid"], "--timeout", "120", "-f", "json")
    tail.ready()
    plan = run("watcher-ext", "webhook", "trigger", audit["uuid"], "--wait",
               "60", "-f", "value", "-c", "Action Plan")
    assert plan.returncode == 0, plan
    code, _ = tail.finish()
    assert code == 0, tail.stderr
    last = json.loads(tail.stdout[-1])
    assert last["event_type"] == "action_plan.create"
    assert (last["payload"]["uuid"], last["payload"]["audit_uuid"]) == (
        plan.stdout.strip(), audit["uuid"])


# --- endings -----------------------------------------------------------------

@pytest.mark.smoke
@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
def test_timeout_before_the_goal_is_exit_4(tails, entry_point):
    started = time.monotonic()
    tail = tails("--until", "never.happens", "--timeout", "3",
                 entry_point=entry_point)
    queue_name = tail.ready()
    code, ended = tail.finish(timeout=30)
    assert code == 4
    assert 3 <= ended - started < 20
    assert tail.stderr[-1] == ("Timed out before an event matching "
                               "never.happens (0 shown)")
    assert tail.stdout == []
    assert_queue_gone(queue_name)


def test_timeout_without_a_goal_is_exit_0(tails):
    tail = tails("--timeout", "2", "--event-type", "nothing.*")
    tail.ready()
    assert tail.finish(timeout=30)[0] == 0
    assert "Traceback" not in "\n".join(tail.stderr)


def test_ctrl_c_is_exit_130_and_leaves_no_queue(tails):
    tail = tails()
    queue_name = tail.ready()
    tail.process.send_signal(signal.SIGINT)
    code, _ = tail.finish(timeout=30)
    assert code == 130
    assert "Traceback" not in "\n".join(tail.stderr)
    assert_queue_gone(queue_name)


def test_a_killed_tail_leaves_no_queue(tails):
    tail = tails()
    queue_name = tail.ready()
    tail.process.kill()
    tail.finish(timeout=30)
    assert_queue_gone(queue_name)


def test_unreachable_broker_is_one_line_without_password():
    result = run("watcher-ext", "notifications", "tail", "--transport-url",
                 "rabbit://guest:N0tShown@127.0.0.1:9/", "--timeout", "30")
    assert result.returncode == 1, result
    assert result.stderr.strip() == (
        "Cannot connect to rabbit://***@127.0.0.1:9/ (from "
        "--transport-url): 127.0.0.1:9: [Errno 111] Connection refused")
    assert result.stdout == ""


@pytest.mark.parametrize("options, message", [
    (["--transport-url", "rabbit://user:N0tShown,PART2@127.0.0.1/"],
     "Invalid transport URL rabbit://***,***@127.0.0.1/: host 1 has no "
     "credentials where others have some; user names and passwords go "
     "before an '@' (user:password@host), and a ',' in one is written %2C"),
    (["--transport-url", "rabbit://guest:N0tShown"],
     "Invalid transport URL rabbit://***: host 1: what follows its ':' is "
     "not a port from 1 to 65535; user names and passwords go before an "
     "'@' (user:password@host), and a ',' in one is written %2C"),
    (["--config-file", "/dev/zero"],
     "Cannot read config file /dev/zero: line 1 is longer than 1 MiB; it "
     "is not a configuration file"),
])
def test_bad_bus_options_are_one_line_before_any_connection(options, message):
    result = run("watcher-ext", "notifications", "tail", *options,
                 "--timeout", "30", timeout=60)
    assert (result.returncode, result.stdout) == (2, ""), result
    assert result.stderr.splitlines() == [message]
    assert "N0tShown" not in result.stderr and "PART2" not in result.stderr


def test_dev_zero_replayed_is_one_line_naming_it():
    result = run("watcher-ext", "notifications", "tail", "--file",
                 "/dev/zero", timeout=60)
    assert (result.returncode, result.stdout) == (1, ""), result
    assert result.stderr.splitlines() == [
        "/dev/zero, line 1: longer than 16 MiB, which no notification is; "
        "stopped reading"]


def test_timeout_ends_a_stalled_fifo(tmp_path):
    path = tmp_path / "stalled.fifo"
    os.mkfifo(path)
    release = threading.Event()

    def writer():
        with open(path, "w") as fifo:
            fifo.write(json.dumps({"event_type": "audit.create"}) + "\n")
            fifo.flush()
            release.wait(60)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        result = run("watcher-ext", "notifications", "tail", "--file",
                     str(path), "--timeout", "2", "--count", "2", "-f",
                     "value", "-c", "event_type", timeout=60)
    finally:
        release.set()
    assert time.monotonic() - started < 20
    assert (result.returncode, result.stdout) == (4, "audit.create\n")
    assert result.stderr == "Timed out before 2 notifications (1 shown)\n"


def test_openstack_needs_no_credentials_for_it():
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env["WATCHER_TRANSPORT_URL"] = SANDBOX["WATCHER_TRANSPORT_URL"]
    completed = subprocess.run(
        [str(BIN / "openstack"), "optimize", "notifications", "tail",
         "--timeout", "1"], env=env, capture_output=True, text=True,
        timeout=60, stdin=subprocess.DEVNULL)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.startswith(READY)


# --- sharing the bus ---------------------------------------------------------

def test_other_consumers_still_get_every_message(tails):
    """oslo.messaging's own queue, as a notification agent reads it."""
    with kombu.Connection(BROKER) as connection:
        channel = connection.channel()
        channel.exchange_declare("watcher", "topic", durable=False,
                                 auto_delete=False)
        # exactly as oslo.messaging's notifier declares it
        channel.queue_declare(queue="notifications.info", durable=False,
                              auto_delete=False)
        channel.queue_bind(queue="notifications.info", exchange="watcher",
                           routing_key="notifications.info")
        tail = tails("--event-type", "sharing.*", "--count", "20", "-f",
                     "value", "-c", "message_id", "--timeout", "60")
        tail.ready()
        sent = publish(*[f"sharing.test{i}" for i in range(20)])
        agent_got = []

        def on_message(message):
            body = json.loads(message.body)
            agent_got.append(json.loads(body["oslo.message"])["message_id"])
        channel.basic_consume(queue="notifications.info", no_ack=True,
                              callback=on_message)
        deadline = time.monotonic() + 30
        while not set(sent) <= set(agent_got):
            assert time.monotonic() < deadline, "the agent lost messages"
            try:
                connection.drain_events(timeout=1)
            except TimeoutError:
                pass
    assert tail.finish(timeout=60)[0] == 0
    assert tail.stdout == sent


# --- broker restart ----------------------------------------------------------

def test_broker_restart_reconnects_and_reports_the_gap(tails):
    tail = tails("--event-type", "restart.*", "-f", "value", "-c",
                 "event_type", "--timeout", "240")
    tail.ready()
    publish("restart.before")
    tail.next_line("out", lambda text: text == "restart.before")
    sandbox("down", "rabbitmq")
    try:
        tail.next_line("err",
                       lambda text: text.startswith("Lost the connection"))
    finally:
        sandbox("up")
    tail.ready(timeout=120)
    publish("restart.after")
    tail.next_line("out", lambda text: text == "restart.after")
    tail.process.send_signal(signal.SIGINT)
    assert tail.finish(timeout=30)[0] == 130
    assert tail.stdout == ["restart.before", "restart.after"]
    messages = "\n".join(tail.stderr)
    assert "Reconnected to 127.0.0.1:" in messages
    assert "Missed: notifications published from " in messages
    assert "Traceback" not in messages
