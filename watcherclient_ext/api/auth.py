"""Credentials from options, ``OS_*`` variables and clouds.yaml, without
openstacksdk.

``import openstack`` loads every service proxy of the SDK (about 0.35 s).
:mod:`watcherclient_ext.api.clouds` merges the settings as ``openstack``'s
loader (osc-lib's OSC_Config over openstacksdk) would, and keystoneauth1's
own loading builds the auth plugin and the session here.  Whatever that
merge does not follow (vendor profiles, legacy names, identity v2, ``{}``
templates, plugins not listed there) makes :func:`from_options` return
None: openstacksdk's loader then decides, exactly as ``openstack`` does.
"""

import os
import typing

from watcherclient_ext import secrets
from watcherclient_ext.api import clouds


class Login(typing.NamedTuple):
    """A Keystone session, where Watcher is, and the token cache if any."""

    session: object
    #: The keyword arguments of
    #: :meth:`watcherclient_ext.api.client.WatcherClient.connect`.
    endpoint: dict
    #: A :class:`watcherclient_ext.api.token_cache.TokenCache`, or None.
    tokens: object


def from_options(options, environ=os.environ):
    """The :class:`Login` of the options, or None for openstacksdk."""
    cloud = clouds.settings(options, environ)
    if cloud is None:
        return None
    secrets.remember_in(cloud.auth)
    plugin = cloud.loader.load_from_options(**cloud.auth)
    tokens = None
    if cloud.cache_auth:
        from watcherclient_ext.api import token_cache

        tokens = token_cache.TokenCache.load(plugin)
    config = cloud.config
    region = config.get("region_name")
    return Login(_session(plugin, config), {
        "interface": config.get("interface"),
        "region_name": str(region) if region else None,
        "endpoint_override": clouds.endpoint_override(cloud),
        "timeout": config.get("api_timeout") or config.get("timeout")},
        tokens)


def tls_verify(insecure, cacert, verify=True):
    """requests' ``verify``: False, a CA bundle's path, or True (or
    clouds.yaml's ``verify``), as openstacksdk chooses."""
    if insecure:
        return False
    if verify and cacert:
        return os.path.expanduser(cacert)
    return verify


def _session(plugin, config):
    from keystoneauth1 import session

    verify = tls_verify(config.get("insecure"), config.get("cacert"),
                        config.get("verify", True))
    cert = config.get("cert")
    if cert:
        cert = os.path.expanduser(cert)
        if config.get("key"):
            cert = (cert, os.path.expanduser(config["key"]))
    # Never redirected: keystoneauth would re-send a password POST, with
    # its body, to wherever Keystone (or what poses as it) points.
    return session.Session(auth=plugin, verify=verify, cert=cert,
                           timeout=config.get("api_timeout"),
                           redirect=False)
