"""Every model, imported once so metadata is complete (Alembic, tests)."""

from gaung.accounts.models import AccountConnection, PlatformAccount
from gaung.accounts.sandbox import SandboxPost
from gaung.audit.models import AuditEvent
from gaung.auth.models import AuthSession, LoginThrottle, RefreshToken
from gaung.calendar.models import PostTemplate
from gaung.holds.models import BlackoutPeriod, Pause
from gaung.invites.models import MembershipInvite
from gaung.kit.models import Base
from gaung.media.models import MediaAsset
from gaung.notifications.models import Notification
from gaung.posts.models import Post, PostComment, PostVariant, PublishAttempt, VariantMedia
from gaung.units.models import Unit
from gaung.users.models import Membership, User
from gaung.writing.models import UnitWritingSettings
from gaung.xspend.models import XUsage

__all__ = [
    "AccountConnection",
    "AuditEvent",
    "AuthSession",
    "Base",
    "BlackoutPeriod",
    "LoginThrottle",
    "MediaAsset",
    "Membership",
    "MembershipInvite",
    "Notification",
    "Pause",
    "PlatformAccount",
    "Post",
    "PostComment",
    "PostTemplate",
    "PostVariant",
    "PublishAttempt",
    "RefreshToken",
    "SandboxPost",
    "Unit",
    "UnitWritingSettings",
    "User",
    "VariantMedia",
    "XUsage",
]
