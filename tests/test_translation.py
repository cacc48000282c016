"""The English-Spanish loader: local file, zip, registry entry, offline and corrupt-file errors."""
import dataclasses
import hashlib
import socket
import time
import zipfile

import pytest

from course_utils.data import cache, translation

LINES = "Go.\tVe.\tCC-BY 2.0 (France) Attribution: tatoeba.org\nGo.\tVete.\nI won!\t¡He ganado!\n"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "default_cache"))
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)


@pytest.fixture
def no_network(monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _zip(path, text=LINES):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("spa-eng/_about.txt", "about")
        zf.writestr(translation.MEMBER, text)
    return path.read_bytes()


def _patch(monkeypatch, payload):
    old = cache.REGISTRY["spa-eng"]
    monkeypatch.setitem(cache.REGISTRY, "spa-eng", dataclasses.replace(
        old, digest=hashlib.sha256(payload).hexdigest(), size=len(payload)))


def test_registry_entry_is_the_tensorflow_tutorial_file():
    entry = cache.REGISTRY["spa-eng"]
    assert entry.url == "http://storage.googleapis.com/download.tensorflow.org/data/spa-eng.zip"
    assert entry.filename == "spa-eng.zip" and entry.algorithm == "sha256" and entry.size == 2638744
    assert entry.digest == "0c4fd7825d3d872488d38c157f784e035edab4f2ff0df25a2a208790ecb5b58f"


def test_pairs_from_extracted_file(tmp_path, no_network):
    (tmp_path / "spa-eng").mkdir()
    (tmp_path / translation.MEMBER).write_text(LINES, encoding="utf-8")
    pairs = translation.spa_eng_pairs(tmp_path)
    assert pairs == [("Go.", "Ve."), ("Go.", "Vete."), ("I won!", "¡He ganado!")]
    assert translation.spa_eng_pairs(tmp_path, max_pairs=2) == pairs[:2]


def test_pairs_from_verified_zip(tmp_path, no_network, monkeypatch):
    _patch(monkeypatch, _zip(tmp_path / "spa-eng.zip"))
    assert translation.spa_eng_pairs(tmp_path)[0] == ("Go.", "Ve.")
    assert (tmp_path / "spa-eng.zip.verified").exists()


def test_corrupt_zip_is_refused_and_moved_aside(tmp_path, no_network):
    (tmp_path / "spa-eng.zip").write_bytes(b"not the real file")
    with pytest.raises(cache.ChecksumError) as exc:
        translation.spa_eng_pairs(tmp_path)
    assert "spa-eng.zip" in str(exc.value) and "download.tensorflow.org" in str(exc.value)
    assert (tmp_path / "spa-eng.zip.corrupt").exists()


def test_offline_without_data_fails_fast_with_the_fix(tmp_path, no_network):
    start = time.perf_counter()
    with pytest.raises(cache.DataNotFoundError) as exc:
        translation.spa_eng_pairs(tmp_path)
    msg = str(exc.value)
    assert time.perf_counter() - start < 5
    for part in ("spa-eng.zip", cache.REGISTRY["spa-eng"].url, str(tmp_path)):
        assert part in msg, msg


def test_bad_lines_and_arguments(tmp_path, no_network):
    (tmp_path / "spa-eng").mkdir()
    (tmp_path / translation.MEMBER).write_text("Go.\tVe.\nno tab here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        translation.spa_eng_pairs(tmp_path)
    with pytest.raises(ValueError, match="max_pairs"):
        translation.spa_eng_pairs(tmp_path, max_pairs=0)
