"""Fixtures shared by every test package.

The reference ModernGov pages live outside the repository (``../shared/corpus/moderngov``
next to the checkout, or ``$SEARCHSVC_CORPUS``); tests that read them skip cleanly when the
folder is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def corpus_dir() -> Path:
    """``$SEARCHSVC_CORPUS`` (the moderngov folder, or a corpus root holding one), else the shared copy."""
    configured = os.environ.get("SEARCHSVC_CORPUS")
    if configured:
        path = Path(configured)
        return path / "moderngov" if (path / "moderngov").is_dir() else path
    return (REPO.parent / "shared" / "corpus" / "moderngov").resolve()


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if not path.is_dir():
        pytest.skip(f"reference corpus not found at {path} (set SEARCHSVC_CORPUS)")
    return path
