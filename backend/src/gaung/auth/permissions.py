"""What each role may do in its unit. Roles are per unit (membership), not global."""

from __future__ import annotations

from enum import StrEnum

from gaung.users.models import Role


class Perm(StrEnum):
    read = "read"  # see the unit, its accounts, posts and media
    write_posts = "write_posts"  # create and edit posts, upload media
    manage_posts = "manage_posts"  # edit or delete anyone's post
    approve = "approve"  # approve or reject posts in review
    manage_accounts = "manage_accounts"  # add, change, disable platform accounts
    manage_unit = "manage_unit"  # unit settings and memberships


ROLE_PERMS: dict[Role, frozenset[Perm]] = {
    Role.admin: frozenset(Perm),
    Role.editor: frozenset({Perm.read, Perm.write_posts, Perm.manage_posts, Perm.approve}),
    Role.contributor: frozenset({Perm.read, Perm.write_posts}),
    Role.expert: frozenset({Perm.read}),
    Role.viewer: frozenset({Perm.read}),
}
