"""Settings version 4: the Learn page's point filter (self-care / all), added with a default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from acupressure_desktop.settings import SCHEMA_VERSION, Settings, load_settings, save_settings


def test_a_version_3_file_is_upgraded_to_the_self_care_default_and_a_copy_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    original = json.dumps({"schema_version": 3, "theme": "dark", "favourites": ["LI4"]})
    path.write_text(original)
    result = load_settings(path)
    assert result.notice is None
    assert result.settings.theme == "dark" and result.settings.favourites == ("LI4",)
    assert result.settings.map_points == "self-care"
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION == 4
    assert path.with_name("settings.json.v3.bak").read_text() == original


def test_the_filter_round_trips_and_refuses_anything_else(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings().updated(map_points="all")
    save_settings(path, settings)
    assert load_settings(path).settings.map_points == "all"
    with pytest.raises(ValidationError):
        Settings().updated(map_points="gentle")
