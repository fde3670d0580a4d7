"""The settings reach connectors as plain endpoints, so any network can be pointed elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from gaung.accounts.connectors import endpoints
from gaung.config import Settings


def test_every_host_comes_from_the_settings(tmp_path: Path) -> None:
    settings = Settings(
        env="test",
        data_dir=tmp_path,
        x_api_base_url="http://127.0.0.1:9001/",
        graph_api_base_url="http://127.0.0.1:9002",
        graph_video_base_url="http://127.0.0.1:9003",
        graph_rupload_base_url="http://127.0.0.1:9004",
        instagram_api_base_url="http://127.0.0.1:9005",
        graph_api_version="v26.0",
        x_client_id="klien",
        x_client_secret="sangat-rahasia",
        meta_app_secret="juga-rahasia",
    )
    found = endpoints(settings)
    assert found.x_api_base_url == "http://127.0.0.1:9001"  # no doubled slash in paths
    assert found.graph_api_base_url == "http://127.0.0.1:9002"
    assert found.graph_video_base_url == "http://127.0.0.1:9003"
    assert found.graph_rupload_base_url == "http://127.0.0.1:9004"
    assert found.instagram_api_base_url == "http://127.0.0.1:9005"
    assert found.facebook_dialog_url == "https://www.facebook.com/v26.0/dialog/oauth"
    assert found.x_client_id == "klien"
    assert found.x_client_secret == "sangat-rahasia"
    # Secrets never reach a log line through repr.
    assert "rahasia" not in repr(found)


def test_the_x_post_fields_parameter_is_a_checked_setting(tmp_path: Path) -> None:
    assert endpoints(Settings(env="test", data_dir=tmp_path)).x_post_fields_param == "tweet.fields"
    renamed = Settings(env="test", data_dir=tmp_path, x_post_fields_param="post.fields")
    assert endpoints(renamed).x_post_fields_param == "post.fields"
    with pytest.raises(ValidationError, match="x_post_fields_param"):
        Settings(env="test", data_dir=tmp_path, x_post_fields_param="fields")
