"""The version of sklstm: its one home (pyproject.toml reads it statically)."""

__version__ = "0.2.0"
