"""Gaung: social-media management for public-relations units."""

__version__ = "0.1.0"
