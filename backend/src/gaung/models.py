"""Every model, imported once so metadata is complete (Alembic, tests)."""

from gaung.accounts.models import AccountConnection, PlatformAccount
from gaung.accounts.sandbox import SandboxPost
from gaung.apikeys.models import ApiKey
from gaung.audit.models import AuditEvent
from gaung.auth.models import AuthSession, LoginThrottle, RefreshToken
from gaung.calendar.models import PostTemplate
from gaung.feeds.models import CalendarFeed
from gaung.holds.models import BlackoutPeriod, Pause
from gaung.inbox.models import (
    Conversation,
    InboxAnswer,
    InboxCursor,
    InboxExpert,
    InboxMessage,
    InboxSettings,
    InboxTopic,
    InboxWebhookDelivery,
    PrivacyRequest,
    SavedAnswer,
)
from gaung.invites.models import MembershipInvite
from gaung.kit.models import Base
from gaung.media.models import MediaAsset
from gaung.metrics.models import (
    AccountDaily,
    AccountSnapshot,
    MetricsAccountState,
    PostMetricSnapshot,
    TrackedPost,
    UnitMetricsSettings,
)
from gaung.notifications.models import Notification
from gaung.posts.models import Post, PostComment, PostVariant, PublishAttempt, VariantMedia
from gaung.submissions.models import Submission
from gaung.units.models import Unit
from gaung.users.models import Membership, User
from gaung.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from gaung.writing.models import UnitWritingSettings
from gaung.xspend.models import XUsage

__all__ = [
    "AccountConnection",
    "AccountDaily",
    "AccountSnapshot",
    "ApiKey",
    "AuditEvent",
    "AuthSession",
    "Base",
    "BlackoutPeriod",
    "CalendarFeed",
    "Conversation",
    "InboxAnswer",
    "InboxCursor",
    "InboxExpert",
    "InboxMessage",
    "InboxSettings",
    "InboxTopic",
    "InboxWebhookDelivery",
    "LoginThrottle",
    "MediaAsset",
    "Membership",
    "MembershipInvite",
    "MetricsAccountState",
    "Notification",
    "Pause",
    "PlatformAccount",
    "Post",
    "PostComment",
    "PostMetricSnapshot",
    "PostTemplate",
    "PostVariant",
    "PrivacyRequest",
    "PublishAttempt",
    "RefreshToken",
    "SandboxPost",
    "SavedAnswer",
    "Submission",
    "TrackedPost",
    "Unit",
    "UnitMetricsSettings",
    "UnitWritingSettings",
    "User",
    "VariantMedia",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
    "XUsage",
]
