"""Sphinx configuration: the command reference comes from the parsers."""

project = "python-watcherclient-ext"
extensions = ["cliff.sphinxext"]
master_doc = "index"
exclude_patterns = ["build"]
html_theme = "alabaster"
autoprogram_cliff_application = "watcher-ext"
