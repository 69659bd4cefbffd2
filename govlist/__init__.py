"""govlist: keep local-government responsibility lists and devolution catalogs as YAML, validate, diff, publish."""

__version__ = "0.1.0"
