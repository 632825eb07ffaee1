"""cliff's output formatters, made safe for whatever the server sent."""


class SafeFormatters:
    """Mixed into every command that prints with cliff's formatters."""
