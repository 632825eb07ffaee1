"""The object commands use: resources over one WatcherSession."""

from keystoneauth1 import session as ks_session

from watcherclient_ext.api import action_plans
from watcherclient_ext.api import audits
from watcherclient_ext.api import session as watcher_session
from watcherclient_ext.api import webhooks


class WatcherClient:
    def __init__(self, session, *, anonymous=False):
        self.session = session
        self.action_plans = action_plans.ActionPlans(session)
        self.audits = audits.Audits(session, self.action_plans)
        self.webhooks = webhooks.Webhooks(session, self.audits,
                                          self.action_plans,
                                          anonymous=anonymous)

    @classmethod
    def connect(cls, keystone_session, *, interface=None, region_name=None,
                endpoint_override=None, api_version=None, timeout=None,
                anonymous=False):
        """Over a keystoneauth1 session, whoever made it."""
        return cls(watcher_session.WatcherSession.from_keystone_session(
            keystone_session, interface=interface, region_name=region_name,
            endpoint_override=endpoint_override, api_version=api_version,
            timeout=timeout), anonymous=anonymous)

    @classmethod
    def from_cloud_region(cls, cloud_region, keystone_session, api_version):
        """Build from openstacksdk's CloudRegion, as OSC does.

        The time-out is applied to each request here too: OSC gives its
        session none.
        """
        config = cloud_region.config
        return cls.connect(
            keystone_session, interface=cloud_region.get_interface(),
            region_name=cloud_region.get_region_name(),
            endpoint_override=cloud_region.get_endpoint(
                watcher_session.SERVICE_TYPE),
            api_version=api_version,
            timeout=config.get("api_timeout") or config.get("timeout"))

    @classmethod
    def unauthenticated(cls, endpoint, *, verify=True, timeout=None,
                        api_version=None):
        """No Keystone at all: for webhooks opened to anonymous callers."""
        return cls.connect(ks_session.Session(verify=verify),
                           endpoint_override=endpoint,
                           api_version=api_version, timeout=timeout,
                           anonymous=True)
