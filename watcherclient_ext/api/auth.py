"""Credentials from options and ``OS_*`` variables, without openstacksdk.

``import openstack`` loads every service proxy of the SDK (about 0.35 s),
and only clouds.yaml needs it.  When no cloud is named and none could be
picked from a clouds.yaml, :func:`from_options` reads the settings as
``openstack``'s loader (osc-lib's OSC_Config over openstacksdk) would, and
keystoneauth1's own loading builds the auth plugin and the session.

Any setting it does not know (legacy names such as ``OS_TENANT_NAME``,
per-service overrides, identity v2, ``{}`` templates) makes it return None:
openstacksdk's loader then decides, exactly as ``openstack`` does.
"""

import os

from watcherclient_ext import errors
from watcherclient_ext import secrets

#: What openstacksdk calls the cloud it makes of the ``OS_*`` variables.
_ENVIRONMENT_CLOUD = "envvars"
#: ``OS_*`` variables that alone make no cloud of the environment.
_SELECTORS = frozenset({"cloud", "region_name", "client_config_file",
                        "client_secure_file", "cloud_name"})
#: openstacksdk's defaults for the settings read here.
_DEFAULTS = {"auth_type": "password", "interface": "public"}
#: Settings read here beside the auth plugin's own options.  ``endpoint``
#: counts only with auth type none, as in openstacksdk.
_GENERAL = frozenset({"auth_type", "interface", "region_name", "insecure",
                      "cacert", "cert", "key", "api_timeout", "endpoint",
                      "client_config_file", "client_secure_file"})
#: Options of other auth plugins: openstacksdk leaves them unused.
_OTHER_PLUGINS_OPTIONS = frozenset({
    "auth_url", "username", "user_id", "password", "system_scope",
    "application_credential_id", "application_credential_secret",
    "application_credential_name"})
#: Settings openstacksdk hands to the auth plugin, whether it takes them or
#: not (``_fix_backwards_auth``, without the legacy names).
_AUTH_SECTION = ("domain_id", "domain_name", "user_domain_id",
                 "user_domain_name", "project_domain_id",
                 "project_domain_name", "token", "passcode", "project_id",
                 "project_name")
#: Where openstacksdk looks for clouds.yaml and secure.yaml, in order.
_FILE_NAMES = tuple(f"{stem}{suffix}" for stem in ("clouds", "secure")
                    for suffix in (".yaml", ".yml", ".json"))


def from_options(options, environ=os.environ):
    """``(keystone session, endpoint settings)``, or None for openstacksdk.

    The settings are the keyword arguments of
    :meth:`watcherclient_ext.api.client.WatcherClient.connect`.
    """
    config = _plain_config(options, environ)
    if config is None:
        return None
    from keystoneauth1 import loading

    auth_type = config["auth_type"]
    loader = loading.get_plugin_loader(auth_type)
    plugin_options = loader.get_options()
    taken = {opt.name.replace("-", "_") for opt in plugin_options}
    known = taken | _GENERAL | _OTHER_PLUGINS_OPTIONS | _SELECTORS
    if any(key not in known and key not in _AUTH_SECTION
           and not key.endswith("_api_version") for key in config):
        return None
    section = _auth_section(config)
    if section.keys() - taken:
        return None
    auth = _auth_values(config, section, plugin_options, auth_type)
    secrets.remember_in(auth)
    return _session(loader.load_from_options(**auth), config), {
        "interface": config["interface"],
        "region_name": config.get("region_name") or None,
        "endpoint_override": (auth.get("endpoint")
                              if auth_type == "none" else None),
        "timeout": config.get("api_timeout")}


def _plain_config(options, environ):
    """The merged settings, or None when clouds.yaml may be involved."""
    if options.os_cloud:
        return None
    environment = {
        name[3:].lower(): value for name, value in environ.items()
        if name.startswith("OS_")
        and not name.startswith(("OS_TEST", "OS_STD", "OS_LOG"))}
    environment_cloud = bool(environment.keys() - _SELECTORS)
    if "cloud_name" in environment or (
            not environment_cloud and clouds_yaml_exists(environ)):
        return None
    config = dict(_DEFAULTS)
    if environment_cloud:
        config.update(environment)
    given = {name[3:]: value for name, value in vars(options).items()
             if name.startswith("os_") and value not in (None, "")}
    given["insecure"] = options.insecure
    region = _region(environment if environment_cloud else {},
                     given.get("region_name"))
    config.update(given, region_name=region)
    if any(isinstance(value, str) and ("{" in value or "}" in value)
           for key, value in config.items() if key != "password"):
        return None
    identity_version = str(config.get("identity_api_version", ""))
    if identity_version.startswith("2"):
        return None
    if not config["auth_type"]:
        # osc-lib's choice; a token has already moved out of its reach.
        config["auth_type"] = ("v3password" if config.get("username")
                               and identity_version == "3" else "password")
    elif config["auth_type"] == "None":
        config["auth_type"] = "none"
    elif config["auth_type"] == "token_endpoint":
        config["auth_type"] = "admin_token"
    if config["auth_type"].startswith("v2") or (
            config["auth_type"] == "v3multifactor"):
        return None
    return config


def _region(environment, asked):
    """The region, checked as openstacksdk checks the environment's."""
    if "region_name" not in environment:
        return asked
    known = environment["region_name"].split(",")
    if not asked:
        return known[0]
    if asked not in known:
        raise errors.InvalidInput(
            f"Region {asked} is not a valid region name for cloud "
            f"{_ENVIRONMENT_CLOUD}. Valid choices are {','.join(known)}. "
            f"Please note that region names are case sensitive.")
    return asked


def _auth_section(config):
    """Take out what openstacksdk gives the plugin in any case."""
    section = {key: str(config.pop(key)) for key in _AUTH_SECTION
               if config.get(key)}
    if "project_id" in section or "project_name" in section:
        # One domain for both the user and the project.
        for kind in ("id", "name"):
            domain = section.pop(f"domain_{kind}", None)
            for owner in ("user", "project"):
                if domain:
                    section.setdefault(f"{owner}_domain_{kind}", domain)
    return section


def _auth_values(config, section, plugin_options, auth_type):
    """The plugin's arguments, found and checked as openstacksdk does."""
    auth = {}
    for opt in plugin_options:
        name = opt.name.replace("-", "_")
        value = config.get(name) or section.get(name)
        if not value and opt.required:
            raise errors.InvalidInput(
                f"Missing value {opt.name} required for auth plugin "
                f"{auth_type}")
        if value:
            auth[opt.dest or name] = value
    return auth


def tls_verify(insecure, cacert):
    """requests' ``verify``: False, a CA bundle's path, or True."""
    if insecure:
        return False
    return os.path.expanduser(cacert) if cacert else True


def _session(plugin, config):
    from keystoneauth1 import session

    verify = tls_verify(config["insecure"], config.get("cacert"))
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


def clouds_yaml_search_path(environ=os.environ):
    """openstacksdk's clouds.yaml and secure.yaml files, existing or not."""
    import platformdirs

    dirs = platformdirs.PlatformDirs("openstack", "OpenStack",
                                     multipath=True)
    home = environ.get("SNAP_REAL_HOME") or os.path.expanduser("~")
    folders = (os.getcwd(), dirs.user_config_dir,
               os.path.join(home, ".config", "openstack"),
               dirs.site_config_dir, "/etc/openstack")
    overrides = [environ.get("OS_CLIENT_CONFIG_FILE"),
                 environ.get("OS_CLIENT_SECURE_FILE")]
    return [path for path in overrides if path] + [
        os.path.join(folder, name) for folder in folders
        for name in _FILE_NAMES]


def clouds_yaml_exists(environ=os.environ):
    return any(os.path.exists(path)
               for path in clouds_yaml_search_path(environ))
