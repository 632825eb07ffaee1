"""Command-line client for OpenStack Watcher."""

__version__ = "0.1.0"
