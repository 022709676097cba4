"""Shared fixtures: the shipped catalogue, compiled once per test session."""

from __future__ import annotations

import pytest

from lawaudit.criteria import Catalogue, load_catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()
