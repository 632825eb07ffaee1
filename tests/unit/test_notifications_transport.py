"""Transport URLs in oslo.messaging's form, and where they come from."""

import string
from urllib import parse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit import hostile
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


def test_masked_hides_every_credential_and_nothing_else():
    url = transport.parse_url(
        "rabbit://alice:s3cr%2Ft@h1:5672,bob:hunter2@h2:5673/vh?ssl=1")
    masked = url.masked()
    assert masked == "rabbit://***@h1:5672,***@h2:5673/vh?ssl=1"
    for secret in ("alice", "s3cr", "bob", "hunter2"):
        assert secret not in masked


def test_passwords_parsed_are_remembered_in_both_forms(monkeypatch):
    remembered = []
    monkeypatch.setattr(transport.secrets, "remember", remembered.append)
    transport.parse_url("rabbit://u:pa%2Fss@h1,v@h2,w:@h3,x:other@h4/")
    assert sorted(remembered) == ["other", "pa%2Fss", "pa/ss"]


@pytest.mark.parametrize("text, message", [
    ("kafka://topu:topsecret@h:9092/",
     "Invalid transport URL kafka://***@h:9092/: notifications are read "
     "from RabbitMQ"),
    ("rabbit://topu:topsecret@h:notaport/",
     "Invalid transport URL rabbit://***@h:notaport/: host 1 (h): its port "
     "is not a number from 1 to 65535"),
    ("rabbit://topu:topsecret@/",
     "Invalid transport URL rabbit://***@/: host 1 has no name"),
    ("rabbit:///", "Invalid transport URL rabbit:///: no host"),
    ("rabbit://topu:top/secret@h/",
     "Invalid transport URL rabbit://***@h/: an '@' comes after a '/'"),
    ("kafka://topu:top/secret@h/",
     "Invalid transport URL kafka://***@h/: an '@' comes after a '/'"),
    ("rabbit://topu:top?secret@h/", "rabbit://***@h/: an '@' comes after"),
    ("rabbit://topu:top#secret@h:x/", "rabbit://***@h:x/: an '@' comes after"),
    ("rabbit://topu:topsecret@h1,topu:topsecret@h:70000/",
     "rabbit://***@h1,***@h:70000/: host 2 (h): its port is not a number "
     "from 1 to 65535"),
    ("rabbit://topu:topsecret@[::1/",
     "rabbit://***@[::1/: host 1: an IPv6 address without its ']'"),
    ("rabbit://topu:topsecret@[::1]x/",
     "rabbit://***@[::1]x/: host 1: something other than ':port' after ']'"),
    ("rabbit://topu:topsecret@h]/", "host 1: a '[' or ']' outside an IPv6"),
    ("rabbit://topu:topsecret@a\tb/", "host 1: its name holds a space"),
    # A ',' in a password splits it into a host without credentials.
    ("rabbit://topuser:top,secret@host/",
     "Invalid transport URL rabbit://***,***@host/: host 1 has no "
     "credentials where others have some; user names and passwords go "
     "before an '@' (user:password@host), and a ',' in one is written %2C"),
    ("rabbit://topuser:,secret@host/", "rabbit://***,***@host/: host 1 has"),
    ("rabbit://topuser:5672,secret@host/", "rabbit://***,***@host/: host 1"),
    # A password where the port goes: no host at all.
    ("rabbit://topguest:secret",
     "Invalid transport URL rabbit://***: host 1: what follows its ':' is "
     "not a port from 1 to 65535; user names and passwords go before"),
    ("topguest:secret",
     "Invalid transport URL: it does not start with rabbit://"),
])
def test_invalid_urls_say_why_without_any_credential(text, message):
    with pytest.raises(errors.UsageError) as caught:
        transport.parse_url(text)
    assert message in str(caught.value)
    for piece in ("top", "secret"):
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


# --- bounded config files ---------------------------------------------------

def test_dev_zero_as_config_file_is_one_line_naming_it():
    with pytest.raises(errors.UsageError) as caught:
        transport.url_from_config(["/dev/zero"])
    assert str(caught.value) == (
        "Cannot read config file /dev/zero: line 1 is longer than 1 MiB; it "
        "is not a configuration file")


def test_config_line_and_size_caps(tmp_path, monkeypatch):
    monkeypatch.setattr(transport, "_CONFIG_CHUNK", 16)
    monkeypatch.setattr(transport, "CONFIG_MAX_LINE", 100)
    monkeypatch.setattr(transport, "CONFIG_MAX_BYTES", 2 ** 20)
    long_line = write(tmp_path, "long.conf",
                      "[DEFAULT]\n# fine\n" + "x" * 120 + "\n")
    with pytest.raises(errors.UsageError, match="line 3 is longer than"):
        transport.url_from_config([long_line])
    many_lines = tmp_path / "big.conf"
    many_lines.write_text("[DEFAULT]\n" + "# a comment\n" * 90_000)
    with pytest.raises(errors.UsageError, match="big.conf: larger than 1 MiB"):
        transport.url_from_config([str(many_lines)])
    near = write(tmp_path, "near.conf", "[DEFAULT]\ntransport_url = "
                 "rabbit://h/\n" + ("#" * 99 + "\n") * 1000)
    assert transport.url_from_config([near])[0] == "rabbit://h/"


def test_resolve_reads_config_files_bounded():
    with pytest.raises(errors.UsageError, match="/dev/zero: line 1"):
        transport.resolve(None, ["/dev/zero"], {})


# --- properties -------------------------------------------------------------

#: Characters only the credentials of the generated URLs hold: finding one
#: in a message or a shown URL is a leak.
MARKERS = "ЖΨ"
_USERINFO_SAFE = string.ascii_letters + string.digits + "-._~!$&'()*+;="
userinfo = st.lists(
    st.sampled_from(MARKERS) | st.sampled_from(_USERINFO_SAFE)
    | st.sampled_from(",:")  # RFC 3986 allows them; oslo splits on ','
    | st.just("\udcff")  # what a command line cannot decode
    | hostile.characters.map(
        lambda c: parse.quote(c, safe="", errors="surrogatepass")),
    min_size=1, max_size=12).map("".join).filter(
        lambda text: any(marker in text for marker in MARKERS))
hostnames = st.from_regex(r"[a-z][a-z0-9.-]{0,10}", fullmatch=True)
ports = st.none() | st.integers(1, 65535).map(str) | st.from_regex(
    r"[a-z0-9]{0,6}", fullmatch=True)


@st.composite
def host_entries(draw):
    address = draw(hostnames)
    port = draw(ports)
    if port is not None:
        address += ":" + port
    user = draw(userinfo)
    password = draw(st.none() | userinfo)
    if password is not None:
        user += ":" + password
    if password is None or "," in user:
        # Without an '@', a bare word, or one before a ',', is a host name.
        return f"{user}@{address}"
    return draw(st.sampled_from([f"{user}@{address}", user]))


transport_urls = st.builds(
    lambda scheme, hosts, tail: f"{scheme}://{','.join(hosts)}{tail}",
    st.sampled_from(["rabbit", "kombu", "kafka", "RABBIT"]),
    st.lists(host_entries(), min_size=1, max_size=3),
    st.sampled_from(["", "/", "/vh", "/vh?ssl=1", "?x=y"]))


def _no_marker(text):
    for marker in MARKERS:
        for form in (marker, parse.quote(marker)):
            assert form not in text and form.lower() not in text, text


@hostile.BOUNDED
@given(transport_urls)
def test_property_no_credential_in_errors_or_shown_urls(text):
    try:
        url = transport.parse_url(text)
    except errors.UsageError as exc:
        _no_marker(str(exc))
    else:
        _no_marker(url.masked())
        _no_marker(" ".join(host.address for host in url.hosts))


@hostile.BOUNDED
@given(st.one_of(hostile.text, transport_urls.map(
    lambda url: "".join(reversed(url))), st.builds(
        "rabbit://{}".format, hostile.text | st.text(
            st.sampled_from("[]:@,/?#%aZ1"), max_size=20))))
def test_property_parse_raises_only_usage_errors(text):
    try:
        url = transport.parse_url(text)
    except errors.WatcherClientError as exc:
        assert isinstance(exc, errors.UsageError)
        assert "\n" not in str(exc)
    else:
        assert url.hosts and url.masked()
