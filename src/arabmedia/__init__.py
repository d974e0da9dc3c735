"""arabmedia: compare how Arabic-language news outlets cover the same events."""

__version__ = "0.1.0"
