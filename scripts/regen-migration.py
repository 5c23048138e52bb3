#!/usr/bin/env python3
"""Regenerate the initial migration from the models (only while nothing is released).

Until the first release the schema lives in one revision, 0001; every engineer who
changes a model runs this, and the result is the same whoever runs it last.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ROOT / "storage" / "migrations" / "versions"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    for old in VERSIONS.glob("0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/gen.db")
        with engine.begin() as conn:
            cfg = Config()
            cfg.set_main_option("script_location", str(ROOT / "storage" / "migrations"))
            cfg.attributes["connection"] = conn
            command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
    (path,) = VERSIONS.glob("0001_*.py")
    text = path.read_text()
    text = re.sub(r"storage\.models\.UTCDateTime\(timezone=True\)", "sa.DateTime(timezone=True)", text)
    text = re.sub(r"Create Date: .*\n", "", text)
    text = text.replace("import storage.models\n", "")
    path.write_text(text)
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
