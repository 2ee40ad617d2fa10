"""Reviewer: an offline desktop tool for systematic reviews."""

__version__ = "0.1.0"
