"""The admin through which hub admins configure their hub.

scoping holds what every app's admin mixes in (HubScopedAdmin and friends);
the other modules register the hub's own models, so importing this package
registers them.
"""

from hubs.admin import grounds, hub, members, policy, routes
from hubs.admin.scoping import (
    HubScopedAdmin,
    HubScopedInline,
    SameHubForm,
    configurable_hub_ids,
    delete_resyncing_grants,
    members_tied_to,
    resync_grants,
)

__all__ = [
    "HubScopedAdmin",
    "HubScopedInline",
    "SameHubForm",
    "configurable_hub_ids",
    "delete_resyncing_grants",
    "grounds",
    "hub",
    "members",
    "members_tied_to",
    "policy",
    "resync_grants",
    "routes",
]
