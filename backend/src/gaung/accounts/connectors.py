"""The running app's connectors: the settings turned into the plain endpoints every connector
is built with."""

from __future__ import annotations

from gaung.config import Settings
from gaung.platforms.protocol import Endpoints


def endpoints(settings: Settings) -> Endpoints:
    version = settings.graph_api_version
    return Endpoints(
        x_api_base_url=settings.x_api_base_url.rstrip("/"),
        x_authorize_url=settings.x_authorize_url,
        x_client_id=settings.x_client_id,
        x_client_secret=settings.x_client_secret,
        x_post_fields_param=settings.x_post_fields_param,
        graph_api_base_url=settings.graph_api_base_url.rstrip("/"),
        graph_video_base_url=settings.graph_video_base_url.rstrip("/"),
        graph_rupload_base_url=settings.graph_rupload_base_url.rstrip("/"),
        graph_api_version=version,
        facebook_dialog_url=settings.facebook_dialog_url
        or f"https://www.facebook.com/{version}/dialog/oauth",
        instagram_api_base_url=settings.instagram_api_base_url.rstrip("/"),
        meta_app_id=settings.meta_app_id,
        meta_app_secret=settings.meta_app_secret,
    )
