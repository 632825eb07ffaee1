"""Sphinx configuration of the release notes, gathered by reno."""

project = "python-watcherclient-ext release notes"
extensions = ["reno.sphinxext"]
master_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
