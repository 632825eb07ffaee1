"""Transport URLs in oslo.messaging's form, and where they come from."""

import pytest

from watcherclient_ext import errors
from watcherclient_ext.bus import transport


def test_one_host_with_defaults():
    url = transport.parse_url("rabbit://guest:guest@localhost:5672/")
    assert url.hosts == (transport.Host("localhost", 5672, "guest", "guest"),)
    assert url.virtual_host == ""
    assert url.ssl is False


def test_several_hosts_vhost_and_ssl():
    url = transport.parse_url(
        "rabbit://user:p%40ss@host1:5671,other:secret@host2/my%2Fvhost"
        "?ssl=1&ssl_ca_file=/etc/ca.pem")
    assert url.hosts == (
        transport.Host("host1", 5671, "user", "p@ss"),
        transport.Host("host2", transport.DEFAULT_PORT, "other", "secret"))
    assert url.virtual_host == "my/vhost"
    assert url.ssl == {"ca_certs": "/etc/ca.pem"}


@pytest.mark.parametrize("query, expected", [
    ("ssl=true", True), ("ssl=0", False), ("", False),
    ("ssl=1&ssl_cert_file=c.pem&ssl_key_file=k.pem",
     {"certfile": "c.pem", "keyfile": "k.pem"}),
])
def test_ssl_options(query, expected):
    assert transport.parse_url(f"rabbit://h/?{query}").ssl == expected


def test_hosts_without_credentials_and_ipv6():
    url = transport.parse_url("rabbit://[::1]:5673,broker/")
    assert url.hosts == (transport.Host("::1", 5673),
                         transport.Host("broker", 5672))
    assert url.hosts[0].address == "[::1]:5673"


def test_masked_hides_every_password_and_nothing_else():
    url = transport.parse_url(
        "rabbit://alice:s3cr%2Ft@h1:5672,bob:hunter2@h2:5673/vh?ssl=1")
    masked = url.masked()
    assert masked == ("rabbit://alice:***@h1:5672,bob:***@h2:5673/vh"
                      "?ssl=1")
    for secret in ("s3cr", "hunter2"):
        assert secret not in masked


def test_scrub_removes_passwords_from_any_text():
    url = transport.parse_url("rabbit://u:pa%2Fss@h/")
    text = "failed for u:pa/ss@h and u:pa%2Fss@h"
    assert url.scrub(text) == "failed for u:***@h and u:***@h"


@pytest.mark.parametrize("text, message", [
    ("kafka://u:topsecret@h:9092/", "read from RabbitMQ"),
    ("rabbit://u:topsecret@h:notaport/", "port 'notaport' of h"),
    ("rabbit://u:topsecret@/", "a host has no name"),
    ("rabbit:///", "no host"),
    ("rabbit://u:top/secret@h/", "percent-encode"),
    ("rabbit://u:top?secret@h/", "percent-encode"),
    ("rabbit://u:top#secret@h:x/", "percent-encode"),
    ("rabbit://u:topsecret@h:70000/", "not a number from 1 to 65535"),
    ("rabbit://u:topsecret@[::1/", "Invalid IPv6 URL"),
])
def test_invalid_urls_say_why_without_the_password(text, message):
    with pytest.raises(errors.UsageError) as caught:
        transport.parse_url(text)
    assert message in str(caught.value)
    for piece in ("topsecret", "top", "secret"):
        assert piece not in str(caught.value)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_config_notifications_section_wins_over_default(tmp_path):
    conf = write(tmp_path, "watcher.conf", """\
[DEFAULT]
transport_url = rabbit://a:a@default-host/
[oslo_messaging_notifications]
driver = messagingv2
transport_url = rabbit://b:b@notif-host/
""")
    url, where = transport.url_from_config([conf])
    assert url == "rabbit://b:b@notif-host/"
    assert "[oslo_messaging_notifications]" in where and conf in where


def test_config_default_section_when_notifications_has_none(tmp_path):
    conf = write(tmp_path, "watcher.conf", """\
[DEFAULT]
transport_url = rabbit://a:a@default-host/
[oslo_messaging_notifications]
driver = messagingv2
transport_url =
""")
    assert transport.url_from_config([conf])[0] == "rabbit://a:a@default-host/"


def test_config_later_files_win_and_sections_keep_their_rank(tmp_path):
    first = write(tmp_path, "a.conf", "[oslo_messaging_notifications]\n"
                                      "transport_url = rabbit://first/\n")
    second = write(tmp_path, "b.conf", "[oslo_messaging_notifications]\n"
                                       "transport_url = rabbit://second/\n"
                                       "[DEFAULT]\n"
                                       "transport_url = rabbit://default/\n")
    assert transport.url_from_config([first, second])[0] == "rabbit://second/"
    assert transport.url_from_config([second, first])[0] == "rabbit://first/"


def test_config_without_transport_url(tmp_path):
    conf = write(tmp_path, "nova.conf", "[DEFAULT]\nhost = x\n")
    assert transport.url_from_config([conf]) == (None, None)


def test_unreadable_and_unparsable_config_files(tmp_path):
    with pytest.raises(errors.InvalidInput, match="Cannot read config file "
                                                  ".*No such file"):
        transport.url_from_config([str(tmp_path / "missing.conf")])
    bad = write(tmp_path, "bad.conf", "transport_url = rabbit://x/\n")
    with pytest.raises(errors.InvalidInput, match="Cannot parse config file"):
        transport.url_from_config([bad])


@pytest.mark.parametrize("content, reason", [
    (b"transport_url = rabbit://u:Sup3rSecret@h/\n",
     "line 1: no [section] header above it"),
    (b"[DEFAULT]\ntransport_url Sup3rSecret\n",
     "line 2 is not 'name = value'"),
    (b"[DEFAULT]\ntransport_url = \xff\n", "it is not UTF-8 text"),
])
def test_config_errors_name_the_file_once_and_no_password(
        tmp_path, content, reason):
    path = tmp_path / "bad.conf"
    path.write_bytes(content)
    with pytest.raises(errors.UsageError) as caught:
        transport.url_from_config([str(path)])
    assert str(caught.value) == f"Cannot parse config file {path}: {reason}"
    assert "Sup3rSecret" not in str(caught.value)


def test_resolve_order(tmp_path):
    conf = write(tmp_path, "w.conf",
                 "[DEFAULT]\ntransport_url = rabbit://conf-host/\n")
    env = {transport.URL_ENV: "rabbit://env-host/"}
    given = transport.resolve("rabbit://flag-host/", [conf], env)
    assert given[0].hosts[0].hostname == "flag-host"
    assert given[1] == "--transport-url"
    from_conf = transport.resolve(None, [conf], env)
    assert from_conf[0].hosts[0].hostname == "conf-host"
    from_env = transport.resolve(None, [], env)
    assert from_env == (transport.parse_url("rabbit://env-host/"),
                        transport.URL_ENV)
    empty_conf = write(tmp_path, "e.conf", "[DEFAULT]\n")
    assert transport.resolve(None, [empty_conf], env)[1] == (
        f"{transport.URL_ENV} (no transport_url in {empty_conf})")
    assert transport.resolve(None, [empty_conf], {}) == (
        transport.parse_url(transport.DEFAULT_URL),
        f"the default (no transport_url in {empty_conf})")
    default = transport.resolve(None, [], {})
    assert default == (transport.parse_url(transport.DEFAULT_URL),
                       "the default")
