"""What every command module shares: the command record and how a command opens the store."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from ..config import Settings
from ..store import Backend

Handler = Callable[[argparse.Namespace, Settings], int]


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Handler


def open_backend(settings: Settings) -> Backend:
    from ..store import open_store

    return open_store(settings)
