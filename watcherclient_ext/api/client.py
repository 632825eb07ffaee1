"""The object commands use: resources over one WatcherSession."""

from watcherclient_ext.api import action_plans
from watcherclient_ext.api import session as watcher_session


class WatcherClient:
    def __init__(self, session):
        self.session = session
        self.action_plans = action_plans.ActionPlans(session)

    @classmethod
    def from_cloud_region(cls, cloud_region, keystone_session, api_version):
        """Build from openstacksdk's CloudRegion, as OSC and watcher-ext do."""
        return cls(watcher_session.WatcherSession.from_keystone_session(
            keystone_session,
            interface=cloud_region.get_interface(),
            region_name=cloud_region.get_region_name(),
            endpoint_override=cloud_region.get_endpoint(
                watcher_session.SERVICE_TYPE),
            api_version=api_version))
