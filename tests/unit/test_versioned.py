"""Versioned-object payloads of Watcher, Nova and Ironic -> plain data."""

import json
import pathlib

import pytest

from watcherclient_ext.bus import versioned

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"


def wrapped(namespace, name, version, data):
    return {f"{namespace}_object.name": name,
            f"{namespace}_object.namespace": namespace,
            f"{namespace}_object.version": version,
            f"{namespace}_object.data": data}


def loads(value):
    """Unwrapped as it comes off the wire."""
    return versioned.unwrap(json.loads(json.dumps(value)))


def message_of(line):
    """The message in a wire body, as JSON gives it."""
    return json.loads(json.loads(line)["oslo.message"])


def no_wrapper_left(value):
    """True when no key anywhere looks like ``<ns>_object.*``."""
    text = json.dumps(value)
    return "_object.data" not in text and "_object.name" not in text


@pytest.mark.parametrize("namespace", ["watcher", "nova", "ironic", "cyborg"])
def test_any_namespace_is_unwrapped(namespace):
    plain, meta = loads(wrapped(namespace, "ThingPayload", "1.3",
                                {"uuid": "u", "state": "ACTIVE"}))
    assert plain == {"uuid": "u", "state": "ACTIVE"}
    assert meta == {
        "name": "ThingPayload", "namespace": namespace, "version": "1.3"}


def test_objects_nested_at_any_depth_and_in_lists():
    innermost = wrapped("nova", "C", "1.0", {"leaf": 1})
    middle = wrapped("nova", "B", "1.1", {"child": innermost,
                                          "items": [innermost, innermost]})
    top = wrapped("nova", "A", "2.0", {"b": middle,
                                       "plain": {"deeper": {"x": middle}}})
    plain, meta = loads(top)
    leaf = {"leaf": 1}
    b = {"child": leaf, "items": [leaf, leaf]}
    assert plain == {"b": b, "plain": {"deeper": {"x": b}}}
    assert meta["name"] == "A"


def test_plain_data_is_left_alone():
    value = {"a": [1, {"b": None}], "watcher_object": "not a wrapper",
             "c": {"x_object.name": "no data key", "x_object.version": "1"}}
    plain, meta = loads(value)
    assert plain == value
    assert meta is None


def test_null_data_and_values_that_hold_nothing():
    plain, meta = loads({"p": wrapped("watcher", "P", "1.0", None)})
    assert plain == {"p": None}
    assert meta is None
    for value in (None, 3, "text", [], {}):
        assert versioned.unwrap(value) == (value, None)


def test_metadata_is_of_the_value_itself_not_of_objects_inside():
    plain, meta = loads({"nested": wrapped("watcher", "N", "1.0", {"a": 1})})
    assert plain == {"nested": {"a": 1}}
    assert meta is None


@pytest.mark.parametrize("sample", ["watcher", "nova", "ironic"])
def test_every_sample_payload_becomes_plain(sample):
    lines = (DATA / f"{sample}-notifications.jsonl").read_text().splitlines()
    for line in lines:
        message = message_of(line)
        payload, meta = versioned.unwrap(message["payload"])
        assert no_wrapper_left(payload), message["event_type"]
        assert meta["namespace"] == sample
        assert meta["name"].endswith("Payload") and meta["version"]


def test_watcher_cancel_payload_keeps_nested_data():
    line = next(line for line in (DATA / "watcher-notifications.jsonl")
                .read_text().splitlines()
                if "action_plan.cancel.end" in line)
    payload, _ = versioned.unwrap(message_of(line)["payload"])
    assert payload["state"] == "CANCELLED"
    assert payload["audit"]["uuid"] == payload["audit_uuid"]
    assert payload["strategy"]["name"] == "dummy_with_resize"


def test_nova_lists_of_objects_and_changes_key():
    line = (DATA / "nova-notifications.jsonl").read_text().splitlines()[0]
    payload, meta = versioned.unwrap(message_of(line)["payload"])
    assert payload["ip_addresses"][0]["address"] == "192.168.1.3"
    assert payload["state_update"]["old_state"] == "building"
    assert payload["flavor"]["name"] == "m1.small"
    assert meta == {
        "name": "InstanceUpdatePayload", "namespace": "nova",
        "version": "2.0"}


def test_an_object_whose_data_is_an_object_is_unwrapped_through():
    inner = wrapped("watcher", "Inner", "1.0", {"a": 1})
    plain, meta = loads(wrapped("watcher", "Outer", "2.0", inner))
    assert plain == {"a": 1}
    assert meta["name"] == "Outer"


def test_object_data_that_is_a_list_is_unwrapped_inside():
    item = wrapped("nova", "Item", "1.0", {"a": 1})
    plain, _ = loads({"p": wrapped("nova", "Items", "1.0", [item, 2])})
    assert plain == {"p": [{"a": 1}, 2]}
