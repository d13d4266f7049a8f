"""Stage 2: check the loaded YAML against the schemas and the cross-references, into typed
models."""

from generator.validate.catalogue import CheckResult, check_catalogue, load_catalogue

__all__ = ["CheckResult", "check_catalogue", "load_catalogue"]
