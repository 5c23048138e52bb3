"""The README tells the truth about the two commands and the permission table."""

from __future__ import annotations

from pathlib import Path

from bot.permissions import render_table

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_shows_the_permission_table_the_services_check() -> None:
    assert render_table().strip() in README


def test_readme_names_the_two_commands() -> None:
    assert "make run" in README and "make test" in README
