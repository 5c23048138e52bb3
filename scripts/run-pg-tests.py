#!/usr/bin/env python3
"""The PostgreSQL half of `make test`: the whole suite again on a real PostgreSQL.

Uses RECTIBOT_TEST_PG_URL when set, else starts scripts/pg-throwaway. Under CI=true a
PostgreSQL half that could not run is a failure; elsewhere it is a loud warning.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def warn_or_fail(message: str) -> int:
    banner = "!" * 72
    print(f"\n{banner}\n  PostgreSQL tests did NOT run: {message}\n{banner}\n", file=sys.stderr)
    return 1 if os.environ.get("CI", "").lower() in ("1", "true", "yes") else 0


def run_suite(url: str) -> int:
    env = dict(os.environ, RECTIBOT_TEST_DB="postgresql", RECTIBOT_TEST_PG_URL=url)
    return subprocess.call([str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", "-n", "auto"], cwd=ROOT, env=env)


def main() -> int:
    url = os.environ.get("RECTIBOT_TEST_PG_URL")
    if url:
        return run_suite(url)
    try:
        proc = subprocess.Popen(
            [str(ROOT / "scripts" / "pg-throwaway")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    except OSError as exc:
        return warn_or_fail(str(exc))
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line.startswith("postgresql://"):
            proc.wait(timeout=30)
            return warn_or_fail(f"pg-throwaway exited with {proc.returncode}")
        print(f"PostgreSQL for tests: {line}", file=sys.stderr)
        return run_suite(line)
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    sys.exit(main())
