"""clouds.yaml, secure.yaml and ``OS_*`` merged as ``openstack`` merges them.

``import openstack`` loads every service proxy of the SDK (about 0.35 s),
and its loader is only needed for the settings few people write.  This
module follows openstacksdk's ``OpenStackConfig.get_one`` with osc-lib's
``OSC_Config`` hooks, step by step and in its order: the file search path,
secure.yaml merged into clouds.yaml, the cloud made of ``OS_*`` variables,
the cloud picked (named, from the environment, or the only one), its region,
then the options (whose defaults are the ``OS_*`` variables) over all of it,
and the same "magic fixes" of old names.

Whatever it does not follow exactly makes :func:`settings` return None, and
openstacksdk's loader then decides as before: a vendor ``profile``,
``regions`` lists, networks, identity v2, ``{}`` templates, names with
``-``, a file that does not parse, keys it does not know.
"""

import copy
import json
import os
import typing

from watcherclient_ext import errors
from watcherclient_ext import secrets

#: What openstacksdk calls the cloud it makes of the ``OS_*`` variables.
ENVIRONMENT_CLOUD = "envvars"
#: ``OS_*`` variables that alone make no cloud of the environment.
_SELECTORS = frozenset({"cloud", "region_name", "client_config_file",
                        "client_secure_file", "cloud_name"})
#: openstacksdk's defaults (``openstack/config/defaults``), under the
#: settings of every cloud.
DEFAULTS = {
    "api_timeout": None, "verify": True, "cacert": None, "cert": None,
    "key": None, "auth_type": "password",
    "baremetal_status_code_retries": 5,
    "baremetal_introspection_status_code_retries": 5,
    "image_status_code_retries": 5, "disable_vendor_agent": {},
    "interface": "public", "floating_ip_source": "neutron",
    "image_api_use_tasks": False, "image_format": "qcow2", "message": "",
    "network_api_version": "2", "object_store_api_version": "1",
    "secgroup_source": "neutron", "status": "active"}
#: The service type's names in openstacksdk's lookups, official one first
#: (os-service-types' aliases of ``infra-optim``).
SERVICE_KEYS = ("resource_optimization", "infra_optim")
#: Settings this module knows the whole effect of.
_GENERAL = frozenset({"auth", "auth_type", "interface", "region_name",
                      "insecure", "verify", "cacert", "cert", "key",
                      "api_timeout", "timeout", "endpoint",
                      "identity_api_version", "force_ipv4", "prefer_ipv6"})
#: Options of auth plugins that openstacksdk leaves where they are when
#: the plugin chosen does not take them: they change nothing.
_OTHER_PLUGINS_OPTIONS = frozenset({
    "auth_url", "username", "user_id", "password", "system_scope",
    "application_credential_id", "application_credential_secret",
    "application_credential_name", "endpoint"})
#: ``<service>_<setting>``: what only another service than Watcher reads,
#: and Watcher's own settings that the client reads elsewhere (its API
#: version comes from --os-infra-optim-api-version).
_PER_SERVICE_SETTINGS = tuple(f"_{setting}" for setting in (
    "api_version", "default_microversion", "service_type", "service_name",
    "endpoint_override", "endpoint", "interface", "region_name",
    "connect_retries", "connect_retry_delay", "status_code_retries",
    "status_code_retry_delay", "retriable_status_codes", "rate_limit",
    "concurrency", "disabled_reason"))
#: Where openstacksdk looks, in each folder of its search path.
_SUFFIXES = (".yaml", ".yml", ".json")


class _HandOver(Exception):
    """Something openstacksdk's loader must decide."""


def search_folders(environ=os.environ):
    """openstacksdk's CONFIG_SEARCH_PATH."""
    import platformdirs

    dirs = platformdirs.PlatformDirs("openstack", "OpenStack",
                                     multipath=True)
    home = environ.get("SNAP_REAL_HOME") or os.path.expanduser("~")
    return (os.getcwd(), dirs.user_config_dir,
            os.path.join(home, ".config", "openstack"),
            dirs.site_config_dir, "/etc/openstack")


def config_files(stem, environ=os.environ):
    """The clouds (``stem`` clouds) or secure files, in search order."""
    override = environ.get("OS_CLIENT_CONFIG_FILE" if stem == "clouds"
                           else "OS_CLIENT_SECURE_FILE")
    return [override] * bool(override) + [
        os.path.join(folder, stem + suffix)
        for folder in search_folders(environ) for suffix in _SUFFIXES]


def search_path(environ=os.environ):
    """Every clouds.yaml and secure.yaml openstacksdk may read."""
    return config_files("clouds", environ) + config_files("secure", environ)


class Cloud(typing.NamedTuple):
    """What openstacksdk's ``get_one`` makes of the settings."""

    #: keystoneauth1's loader of the auth plugin, and its arguments.
    loader: object
    auth: dict
    #: The other settings (``region_name``, ``interface``, ``verify``...).
    config: dict
    #: clouds.yaml's ``cache: {auth: true}``: keep tokens between calls.
    cache_auth: bool


#: The auth types followed here; others are left to openstacksdk.
AUTH_TYPES = frozenset({"password", "v3password", "token", "v3token",
                        "v3applicationcredential", "none", "admin_token"})


def settings(options, environ=os.environ):
    """The :class:`Cloud` the options, ``OS_*`` variables and clouds.yaml
    make, or None to let openstacksdk's loader decide."""
    try:
        return _settings(options, environ)
    except _HandOver:
        return None


def _settings(options, environ):
    loaded = _load(environ)
    clouds = loaded.get("clouds")
    if not isinstance(clouds, dict) or not all(
            isinstance(cloud, dict) for cloud in clouds.values()):
        raise _HandOver
    cache_auth = _cache_auth(loaded.get("cache", {}))
    if "OS_CLOUD_NAME" in environ or ENVIRONMENT_CLOUD in clouds:
        raise _HandOver
    default_cloud = environ.get("OS_CLOUD")
    environment = {
        name.split("_", 1)[-1].lower(): value
        for name, value in environ.items() if name.startswith("OS_")
        and not name.startswith(("OS_TEST", "OS_STD", "OS_LOG"))}
    if environment.keys() - _SELECTORS:
        clouds[ENVIRONMENT_CLOUD] = {**DEFAULTS, **environment}
        default_cloud = default_cloud or ENVIRONMENT_CLOUD
    if not default_cloud and len(clouds) == 1:
        default_cloud = next(iter(clouds))
    if not clouds:
        clouds["defaults"] = dict(DEFAULTS)
        default_cloud = "defaults"
    name = options.os_cloud if options.os_cloud is not None else (
        default_cloud)
    given = _given(options)
    config = _base(clouds, name)
    given["region_name"] = _region(clouds, name,
                                   given.get("region_name") or "")
    config.update(given)
    config = _normalize_keys(_magic_fixes(config))
    _osc_hook(config)
    if any(isinstance(value, str) and ("{" in value or "}" in value)
           for key, value in config.items() if key != "password"):
        raise _HandOver  # openstacksdk formats those with the settings
    loader, auth = _plugin_arguments(config)
    _check_known(config)
    return Cloud(loader, auth, config, cache_auth)


def _load(environ):
    """clouds.yaml with secure.yaml merged in, as openstacksdk reads them."""
    merged = {}
    for stem in ("clouds", "secure"):
        content = _first_readable(config_files(stem, environ))
        if not content:
            continue  # an empty file has no clouds
        if not isinstance(content, dict) or "clouds" not in content:
            raise _HandOver  # openstacksdk's error or warning
        _remember_secrets(content)
        merged = _merge(merged, content)
    if "clouds" not in merged:
        merged["clouds"] = {}
    return merged


def _first_readable(paths):
    for path in paths:
        if not os.path.exists(path):
            continue
        try:
            with open(path) as config_file:
                if path.endswith("json"):
                    return json.load(config_file)
                import yaml

                try:
                    return yaml.safe_load(config_file)
                except yaml.YAMLError:
                    raise _HandOver from None
        except ValueError:
            raise _HandOver from None  # skipped, with a warning, by it
        except OSError:
            continue  # unreadable: openstacksdk goes on to the next
    return None


def _remember_secrets(content):
    """Every secret in the files read, wherever it stands in them."""
    if isinstance(content, dict):
        secrets.remember_in({key: value for key, value in content.items()
                             if isinstance(value, str)})
        for value in content.values():
            _remember_secrets(value)
    elif isinstance(content, list):
        for value in content:
            _remember_secrets(value)


def _merge(old, new):
    """openstacksdk's ``merge_clouds``: dicts merged at every depth."""
    merged = dict(old)
    for key, value in new.items():
        if isinstance(value, dict):
            merged[key] = (_merge(merged[key], value) if key in merged
                           else dict(value))
        else:
            merged[key] = value
    return merged


def _cache_auth(cache):
    """clouds.yaml's ``cache: {auth: ...}``, read as openstacksdk reads it."""
    if not isinstance(cache, dict):
        raise _HandOver
    return _boolean(_normalize_keys(cache).get("auth", False))


def _boolean(value):
    """openstacksdk's ``get_boolean``: only ``true`` is true in text."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.lower() == "true"
    raise _HandOver


def _given(options):
    """The options' values (``OS_*`` defaults included), named as in
    clouds.yaml; openstacksdk drops empty ones."""
    given = {name[3:]: value for name, value in vars(options).items()
             if name.startswith("os_") and value not in (None, "")}
    if options.insecure is not None:
        given["insecure"] = options.insecure
    return given


def _base(clouds, name):
    """The cloud's settings over openstacksdk's defaults."""
    if name and name not in clouds:
        raise errors.InvalidInput(f"Cloud {name} was not found.")
    cloud = clouds.get(name, {})
    if "profile" in cloud or "cloud" in cloud or "regions" in cloud:
        raise _HandOver  # a vendor profile, or a list of regions
    auth = cloud.get("auth", {})
    if not isinstance(auth, dict) or any("-" in key for key in auth) or any(
            "-" in key and not _per_service(key.replace("-", "_"))
            for key in cloud):
        raise _HandOver  # old names with "-": only a service's are read
    config = copy.deepcopy(DEFAULTS)
    config["auth"] = copy.deepcopy(cloud.get("auth", {}))
    config.update(copy.deepcopy({key: value for key, value in cloud.items()
                                 if key != "auth"}))
    return config


def _region(clouds, name, asked):
    """The region, checked against those the cloud names."""
    if not name:
        return asked
    cloud = _normalize_keys(clouds[name])
    if "region_name" not in cloud:
        return asked
    known = cloud["region_name"]
    if isinstance(known, str):
        known = known.split(",")
    if not isinstance(known, list) or not all(
            isinstance(region, str) for region in known):
        raise _HandOver
    if not known:
        return asked
    if not asked:
        return known[0]
    if asked not in known:
        raise errors.InvalidInput(
            f"Region {asked} is not a valid region name for cloud {name}. "
            f"Valid choices are {','.join(known)}. Please note that region "
            f"names are case sensitive.")
    return asked


#: ``_fix_backwards_auth``: the auth setting each of these names becomes.
_AUTH_RENAMES = {
    "domain_id": ("domain_id",), "domain_name": ("domain_name",),
    "user_domain_id": ("user_domain_id",),
    "user_domain_name": ("user_domain_name",),
    "project_domain_id": ("project_domain_id",),
    "project_domain_name": ("project_domain_name",),
    "token": ("auth_token", "token"), "passcode": ("passcode",),
    "project_id": ("tenant_id", "project_id"),
    "project_name": ("tenant_name", "project_name"),
}


def _magic_fixes(config):
    """openstacksdk's ``magic_fixes``, but for the networks (handed over)."""
    if {"networks", "external_network", "internal_network"} & config.keys():
        raise _HandOver
    # _fix_backwards_api_timeout: a service's time-out is the time-out.
    service_timeout = None
    for key in [key for key in config if key.endswith("timeout")
                and key not in ("timeout", "api_timeout")]:
        service_timeout = config.pop(key)
    if service_timeout is not None:
        config["api_timeout"] = service_timeout
    # _fix_backwards_auth_plugin: auth_type beats auth_plugin.
    auth_type = None
    for key in ("auth_plugin", "auth_type"):
        if key in config:
            auth_type = config.pop(key)
    config["auth_type"] = auth_type
    if auth_type == "v2password":
        raise _HandOver
    # _fix_backwards_auth: settings beat the auth section's.
    auth = config["auth"]
    for target, names in _AUTH_RENAMES.items():
        value = None
        for name in names:
            if name in auth:
                value = str(auth.pop(name))
            if name in config:
                value = str(config.pop(name))
        if value:
            auth[target] = value
    # _fix_backwards_interface
    config = {key.replace("endpoint_type", "interface")
              if key.endswith("endpoint_type") else key: value
              for key, value in config.items()}
    _handle_domain_id(config)
    for key in ("insecure", "cache"):
        if key in config:
            config[key] = _boolean(config[key])
    auth_url = config["auth"].get("auth_url")
    if auth_url is not None and (not isinstance(auth_url, str)
                                 or "{" in auth_url or "}" in auth_url):
        raise _HandOver  # openstacksdk formats it with the settings
    return config


def _handle_domain_id(config):
    """One domain for the user and the project, as openstacksdk allows."""
    auth = config["auth"]
    scoped = bool({"project_id", "project_name"} & (
        config.keys() | auth.keys()))
    for domain in ("domain_id", "domain_name"):
        if not scoped:
            if domain in config and domain not in auth:
                auth[domain] = config.pop(domain)
            continue
        for owner in ("user", "project"):
            key = f"{owner}_{domain}"
            if domain in auth and key not in auth:
                auth[key] = auth[domain]
        config.pop(domain, None)
        auth.pop(domain, None)


def _normalize_keys(config):
    """openstacksdk's ``normalize_keys``: numbers become text, but
    time-outs."""
    normalized = {}
    for key, value in config.items():
        key = key.replace("-", "_")
        if isinstance(value, dict):
            value = _normalize_keys(value)
        elif isinstance(value, bool):
            pass
        elif (isinstance(value, int) and key not in ("verbose_level",
                                                     "api_timeout")) or (
                isinstance(value, float)):
            value = str(value)
        normalized[key] = value
    return normalized


def _osc_hook(config):
    """osc-lib's ``auth_config_hook`` and openstacksdk's names for no auth."""
    identity_version = str(config.get("identity_api_version", ""))
    if identity_version.startswith("2") or config.get("default_domain"):
        raise _HandOver
    if not config.get("auth_type"):
        config["auth_type"] = (
            ("v3password" if identity_version == "3" else "password")
            if config.get("username") else
            ("v3token" if identity_version == "3" else "token")
            if config.get("token") else "password")
    if config["auth_type"] in ("None", ""):
        config["auth_type"] = "none"
    elif config["auth_type"] == "token_endpoint":
        config["auth_type"] = "admin_token"
    if config["auth_type"] not in AUTH_TYPES:
        raise _HandOver


def _plugin_arguments(config):
    """osc-lib's ``_validate_auth``: each option of the plugin taken from
    the settings, else from the auth section, and checked."""
    from keystoneauth1 import loading

    auth_type = config["auth_type"]
    loader = loading.get_plugin_loader(auth_type)
    section = config["auth"]
    arguments = {}
    for opt in loader.get_options():
        names = [name.replace("-", "_") for name in (
            opt.name, *(old.name for old in opt.deprecated))]
        value = _winning(names, config) or _winning(names, section)
        if not value and opt.required:
            raise errors.InvalidInput(
                f"Missing value {opt.name} required for auth plugin "
                f"{auth_type}")
        for name in names:
            config.pop(name, None)
            section.pop(name, None)
        if value:
            arguments[opt.dest] = value
    if section:
        raise _HandOver  # what the plugin would be given but not take
    return loader, arguments


def _winning(names, settings):
    """The first of the names set, deprecated ones after the current."""
    for name in names:
        if name in settings:
            return settings[name]
    return None


def _check_known(config):
    """Hand over anything whose effect is not followed here."""
    for key in config:
        known = key in _GENERAL or key in _OTHER_PLUGINS_OPTIONS or (
            key in _SELECTORS or key in DEFAULTS)
        if not known and not _per_service(key):
            raise _HandOver
    interface = config.get("interface")
    if not (interface is None or isinstance(interface, str) or (
            isinstance(interface, list)
            and all(isinstance(name, str) for name in interface))):
        raise _HandOver


def _per_service(key):
    """Whether ``key`` is one service's setting (``<service>_<setting>``,
    ``has_<service>``)."""
    if key.startswith("has_") and len(key) > 4:
        return True
    return any(key.endswith(setting) and len(key) > len(setting)
               for setting in _PER_SERVICE_SETTINGS)


def endpoint_override(cloud):
    """openstacksdk's ``get_endpoint`` for Watcher."""
    config, value = cloud.config, None
    for setting in ("endpoint_override", "endpoint"):
        for service in SERVICE_KEYS:
            value = config.get(f"{service}_{setting}")
            if value is not None:
                break
        if value:
            break
    if not value and config["auth_type"] == "none":
        value = cloud.auth.get("endpoint")
    return str(value) if value else None
