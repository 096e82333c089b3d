"""searchsvc: full-text, speaker-aware, faceted search over council committee minutes."""

__version__ = "0.1.0"
