"""Compatibility: ``kit.package`` moved to :mod:`kit.data.package`.

Kept because ``kit.lesson`` and the lesson notebooks import it; new code imports
``kit.data.package``.
"""

from .data.package import DEFAULT_DATA_DIR, ENV_VAR, data_dir, metadata, resource, resources, sources

__all__ = ["DEFAULT_DATA_DIR", "ENV_VAR", "data_dir", "metadata", "resource", "resources", "sources"]
