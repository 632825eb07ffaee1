"""Payloads -> rows and JSON: the one formatter every command uses."""
