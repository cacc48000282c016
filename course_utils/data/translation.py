"""English-Spanish sentence pairs for machine translation (notebook 08, full profile).

The file is ``spa-eng.zip`` of TensorFlow's "Neural machine translation with attention"
tutorial: 118,964 tab-separated pairs (``spa-eng/spa.txt``, first line ``Go.<TAB>Ve.``) from
the Tatoeba project via manythings.org's Anki files (CC-BY 2.0). It is looked up in the data
folder (``spa-eng/spa.txt`` already extracted, or the zip), else downloaded once and verified
against its sha256 (see ``cache.REGISTRY["spa-eng"]``).
"""
from __future__ import annotations

import io
import os
import zipfile
import zlib
from pathlib import Path

from . import cache
from .cache import ChecksumError, data_dir as _data_dir

MEMBER = "spa-eng/spa.txt"
N_PAIRS = 118_964


def _parse(lines, max_pairs: int | None) -> list[tuple[str, str]]:
    pairs = []
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\n").rstrip("\r")
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise ValueError(f"{MEMBER} line {n} is not 'English<TAB>Spanish': {line[:80]!r}")
        pairs.append((parts[0].strip(), parts[1].strip()))
        if max_pairs is not None and len(pairs) >= max_pairs:
            break
    return pairs


def spa_eng_pairs(data_dir: str | os.PathLike | None = None, max_pairs: int | None = None) -> list[tuple[str, str]]:
    """(English, Spanish) pairs in file order (short sentences first), at most ``max_pairs``."""
    if max_pairs is not None and (isinstance(max_pairs, bool) or not isinstance(max_pairs, int) or max_pairs < 1):
        raise ValueError(f"max_pairs must be a positive integer or None, got {max_pairs!r}")
    folder = _data_dir(data_dir)
    plain = folder / MEMBER
    if plain.is_file():
        with open(plain, encoding="utf-8") as f:
            return _parse(f, max_pairs)
    archive = cache.fetch("spa-eng", folder)
    try:
        with zipfile.ZipFile(archive) as zf, zf.open(MEMBER) as raw:
            return _parse(io.TextIOWrapper(raw, encoding="utf-8"), max_pairs)
    except (zipfile.BadZipFile, KeyError, EOFError, zlib.error) as exc:
        raise ChecksumError(
            f"{archive} is not a usable spa-eng archive ({exc}). Fix: delete it and run again to "
            f"download it from {cache.REGISTRY['spa-eng'].url}, or place the extracted "
            f"{MEMBER} in {folder}."
        ) from exc
