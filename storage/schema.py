"""Every table the migrations know about: the core models plus each area's own."""

from __future__ import annotations

import importlib
import pkgutil

import storage
from storage.models import Base

# Area modules may declare models of their own (on storage.models.Base); importing every
# storage module registers them before Alembic compares or creates anything.
for _info in pkgutil.iter_modules(storage.__path__):
    if _info.name not in ("migrations", "schema"):
        importlib.import_module(f"storage.{_info.name}")

metadata = Base.metadata
