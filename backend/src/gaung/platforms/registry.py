"""Platform → its rules and its connector: the one place the rest of the code looks a network up.

Every network's rules are here, and its connector factory (``platforms/<network>/client.py``,
``connector.py``). Sandbox accounts are chosen by ``account.sandbox``, not by platform:
``connector_for`` gives them the sandbox connector, which needs the store sandbox posts live in.
Adding a network means its folder, one entry below, its value in
``types.Platform`` (plus a migration for the stored enum) and its module in the web app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TypeAlias

from gaung.platforms.facebook import connector as facebook
from gaung.platforms.facebook.rules import RULES as FACEBOOK_RULES
from gaung.platforms.facebook.rules import FacebookRule
from gaung.platforms.instagram import connector as instagram
from gaung.platforms.instagram.rules import RULES as INSTAGRAM_RULES
from gaung.platforms.instagram.rules import InstagramRule
from gaung.platforms.protocol import Connector, Context
from gaung.platforms.sandbox.connector import SandboxStore, sandbox_factory
from gaung.platforms.types import CommonRule, Platform, Rules
from gaung.platforms.x import connector as x_connector
from gaung.platforms.x.rules import RULES as X_RULES
from gaung.platforms.x.rules import XRule

# Builds a network's connector for the running app (its shared HTTP client and endpoints).
ConnectorFactory: TypeAlias = Callable[[Context], Connector]


@dataclass(frozen=True)
class Network:
    platform: Platform
    rules: Rules
    connector: ConnectorFactory | None = None


NETWORKS: Mapping[Platform, Network] = MappingProxyType(
    {
        Platform.x: Network(Platform.x, X_RULES, x_connector.factory),
        Platform.instagram: Network(Platform.instagram, INSTAGRAM_RULES, instagram.factory),
        Platform.facebook: Network(Platform.facebook, FACEBOOK_RULES, facebook.factory),
    }
)

# The closed set of rule codes a problem can carry (the API documents every value).
RuleCode: TypeAlias = XRule | InstagramRule | FacebookRule | CommonRule


def rule_codes() -> list[StrEnum]:
    """Every rule code of every network, network by network, then the unit's own."""
    return [code for network in NETWORKS.values() for code in network.rules.codes] + list(
        CommonRule
    )


def network(platform: Platform) -> Network:
    return NETWORKS[platform]


def connector_for(
    platform: Platform, *, sandbox: bool, sandbox_store: SandboxStore | None = None, seed: int = 0
) -> ConnectorFactory | None:
    """The factory for an account's connector: the sandbox for a sandbox account (over
    ``sandbox_store``, which it then needs), else its network's, ``None`` when none exists."""
    if not sandbox:
        return NETWORKS[platform].connector
    if sandbox_store is None:
        raise ValueError("a sandbox account's connector needs a sandbox store")
    return sandbox_factory(platform, sandbox_store, seed=seed)
