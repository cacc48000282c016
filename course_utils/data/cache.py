"""Where data lives, which remote files the course knows, and how they are fetched.

Every remote file is listed once in ``REGISTRY`` with its URL and checksum. ``fetch`` returns
a verified local copy: a file already placed in the data directory is used as is (after one
verification, remembered in a small ``<file>.verified`` stamp), otherwise it is downloaded to
``<file>.part`` with a progress bar, verified, then renamed. Every failure raises a
``DataError`` whose message names the file, its URL, the folder it belongs in and the fix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import tarfile
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "dl-text-sequences"
ENV_DATA_DIR = "COURSE_DATA_DIR"
ENV_OFFLINE = "COURSE_OFFLINE"
# Seconds allowed for name resolution, and for connecting / each read of a download. Together
# they bound how long an offline machine waits before the clear error: under 10 s.
RESOLVE_TIMEOUT_S = 4.0
TIMEOUT_S = 5.0


# --------------------------------------------------------------------------- errors
class DataError(RuntimeError):
    """Base class of every data-layer error; the message always says how to fix it."""


class DataNotFoundError(DataError):
    """No usable local copy and the file cannot be downloaded (offline, host unreachable)."""


class ChecksumError(DataError):
    """A local or downloaded file is corrupt or truncated."""


class DownloadError(DataError):
    """The server answered but the transfer failed (HTTP error, connection cut)."""


# --------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class RemoteFile:
    """One file the course may download."""

    name: str
    url: str
    filename: str
    algorithm: str | None  # hashlib name, or None when no published checksum exists
    digest: str | None
    size: int | None  # exact size in bytes when known (checked before hashing)
    approx_size: str
    description: str
    terms: str


REGISTRY: dict[str, RemoteFile] = {
    f.name: f
    for f in [
        RemoteFile(
            "aclImdb",
            "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
            "aclImdb_v1.tar.gz",
            "sha1",
            "01ada507287d82875905620988597833ad4e0903",
            None,
            "84 MB",
            "Large Movie Review Dataset v1.0: 50,000 raw IMDB reviews (Maas et al., 2011)",
            "free for research use; cite Maas et al. (2011)",
        ),
        RemoteFile(
            "imdb.npz",
            "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz",
            "imdb.npz",
            "sha256",
            "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
            None,
            "17 MB",
            "Keras' pre-tokenized IMDB reviews (word-rank sequences)",
            "derived from Maas et al. (2011); distributed by Keras",
        ),
        RemoteFile(
            "imdb_word_index",
            "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json",
            "imdb_word_index.json",
            "md5",
            "bfafd718b763782e994055a2d397834f",
            None,
            "1.6 MB",
            "Keras IMDB word index: 88,584 words ranked by frequency (the=1)",
            "distributed by Keras",
        ),
        RemoteFile(
            "tinyshakespeare",
            "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
            "tinyshakespeare.txt",
            "sha256",
            "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
            1115394,
            "1.1 MB",
            "Tiny Shakespeare (char-rnn): 1,115,394 characters",
            "public-domain text, collected by A. Karpathy for char-rnn",
        ),
        # sha256 and size as pinned by TensorFlow's word2vec_basic.py tutorial
        # (tensorflow/examples/tutorials/word2vec/word2vec_basic.py); mattmahoney.net
        # itself publishes no checksum.
        RemoteFile(
            "text8",
            "http://mattmahoney.net/dc/text8.zip",
            "text8.zip",
            "sha256",
            "a6640522afe85d1963ad56c05b0ede0a0c000dddc9671758a6cc09b7a38e5232",
            31344016,
            "31 MB (100 MB unzipped)",
            "text8: first 10^8 characters of an English Wikipedia dump, cleaned (M. Mahoney)",
            "Wikipedia text (CC BY-SA); prepared by Matt Mahoney",
        ),
        # Stanford publishes no checksum for glove.6B.zip. The md5 and size below are the
        # values recorded independently by several public projects (e.g. wedavey/atnlp
        # scripts/install_glove.py, pdabacus/ma792 download.sh), and the size matches the
        # Content-Length served by nlp.stanford.edu (862182613 bytes).
        RemoteFile(
            "glove.6B",
            "https://nlp.stanford.edu/data/glove.6B.zip",
            "glove.6B.zip",
            "md5",
            "056ea991adb4740ac6bf1b6d9b50408b",
            862182613,
            "822 MB",
            "GloVe 6B vectors (Wikipedia 2014 + Gigaword 5), 400k words, 50/100/200/300-d",
            "Open Data Commons Public Domain Dedication and License (PDDL); cite Pennington et al. (2014)",
        ),
        # The file of TensorFlow's NMT-with-attention tutorial. Google publishes no checksum: the
        # sha256 and size are of the tutorial's file (contents checked: spa-eng/spa.txt,
        # 118,964 pairs, first line "Go.\tVe.", members dated 2018).
        RemoteFile(
            "spa-eng",
            "http://storage.googleapis.com/download.tensorflow.org/data/spa-eng.zip",
            "spa-eng.zip",
            "sha256",
            "0c4fd7825d3d872488d38c157f784e035edab4f2ff0df25a2a208790ecb5b58f",
            2638744,
            "2.6 MB",
            "English-Spanish sentence pairs (118,964), Tatoeba via manythings.org, as in TensorFlow's NMT tutorial",
            "Tatoeba sentences, CC-BY 2.0 (tatoeba.org); pairs from manythings.org/anki",
        ),
    ]
}


def _remote(spec: str | RemoteFile) -> RemoteFile:
    if isinstance(spec, RemoteFile):
        return spec
    try:
        return REGISTRY[spec]
    except KeyError:
        raise ValueError(f"unknown data file {spec!r}; known: {sorted(REGISTRY)}") from None


def _lookup_by_filename(filename: str) -> RemoteFile | None:
    return next((f for f in REGISTRY.values() if f.filename == filename), None)


# --------------------------------------------------------------------------- data dir
def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder: ``path`` if given, else ``$COURSE_DATA_DIR``, else a user cache dir.

    The folder is created if missing.
    """
    if path is None:
        path = os.environ.get(ENV_DATA_DIR) or None
    if path is None:
        import platformdirs

        path = platformdirs.user_cache_dir(APP_NAME)
    folder = Path(path).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def offline() -> bool:
    """True when ``COURSE_OFFLINE`` is set to a true value (1, true, yes, on)."""
    return os.environ.get(ENV_OFFLINE, "").strip().lower() in {"1", "true", "yes", "on"}


def _place_hint(remote: RemoteFile, folder: Path) -> str:
    return (
        f"Fix: download {remote.url} and place it in {folder} as {remote.filename}, "
        f"or set {ENV_DATA_DIR} to a folder that already holds it."
    )


# --------------------------------------------------------------------------- verification
def file_digest(path: str | os.PathLike, algorithm: str = "sha256", chunk: int = 1 << 20) -> str:
    """Hex digest of a file, read in 1 MiB chunks."""
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp(path: Path, remote: RemoteFile) -> dict:
    st = path.stat()
    return {"algorithm": remote.algorithm, "digest": remote.digest,
            "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _stamp_ok(path: Path, remote: RemoteFile) -> bool:
    """True when a stamp shows this very file (same size and mtime) was verified before."""
    try:
        return json.loads(_stamp_path(path).read_text()) == _stamp(path, remote)
    except (OSError, ValueError):
        return False


def _write_stamp(path: Path, remote: RemoteFile) -> None:
    _stamp_path(path).write_text(json.dumps(_stamp(path, remote)))


def _quarantine(path: Path) -> Path:
    """Rename a bad file to ``<file>.corrupt`` so it is neither loaded nor silently replaced."""
    bad = path.with_name(path.name + ".corrupt")
    os.replace(path, bad)
    _stamp_path(path).unlink(missing_ok=True)
    return bad


def _integrity_problem(path: Path, remote: RemoteFile, actual: str | None) -> str | None:
    """Why ``path`` is not the expected file, or None when it is."""
    size = path.stat().st_size
    if remote.size is not None and size != remote.size:
        return f"its size is {size:,} bytes, expected {remote.size:,} (truncated or wrong file)"
    if remote.digest is not None:
        if actual is None:
            actual = file_digest(path, remote.algorithm)
        if actual != remote.digest:
            return f"its {remote.algorithm} is {actual}, expected {remote.digest}"
    elif remote.filename.endswith(".zip"):
        # No published checksum: at least check the archive's internal CRCs.
        try:
            with zipfile.ZipFile(path) as zf:
                bad = zf.testzip()
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            return f"it is not a readable zip archive ({exc})"
        if bad is not None:
            return f"member {bad} fails its CRC check"
    return None


def verify(path: str | os.PathLike, spec: str | RemoteFile, *, actual_digest: str | None = None) -> Path:
    """Check ``path`` against the registry entry; raise ChecksumError (and quarantine) if bad.

    A successful check is remembered in ``<file>.verified`` (digest, size, mtime) so a large
    file is hashed once, not on every run.
    """
    path, remote = Path(path), _remote(spec)
    if _stamp_ok(path, remote):
        return path
    problem = _integrity_problem(path, remote, actual_digest)
    if problem:
        bad = _quarantine(path)
        raise ChecksumError(
            f"{path.name} in {path.parent} is corrupt: {problem}. "
            f"It was moved aside to {bad} and not loaded. "
            f"Fix: delete it and run again to download a fresh copy from {remote.url} "
            f"(or place a good copy of {remote.filename} in {path.parent})."
        )
    _write_stamp(path, remote)
    return path


# --------------------------------------------------------------------------- download
def _resolve(host: str, port: int, timeout: float) -> None:
    """Resolve ``host`` in a worker thread: getaddrinfo ignores socket timeouts and can hang."""
    outcome: list[BaseException | None] = []

    def work():
        try:
            socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - reported to the caller below
            outcome.append(exc)

    t = threading.Thread(target=work, daemon=True, name=f"resolve-{host}")
    t.start()
    t.join(timeout)
    if not outcome:
        raise OSError(f"could not resolve {host} within {timeout:.0f} s")
    if outcome[0] is not None:
        raise OSError(f"could not resolve {host}: {outcome[0]}")


def _uses_proxy(url: str) -> bool:
    scheme, host = urllib.parse.urlsplit(url)[:2]
    return scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(host)


def _open(url: str, remote: RemoteFile, folder: Path):
    """Open the URL or raise DataNotFoundError quickly when the host cannot be reached."""
    parts = urllib.parse.urlsplit(url)
    try:
        if not _uses_proxy(url):  # behind a proxy the proxy resolves the name
            _resolve(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80), RESOLVE_TIMEOUT_S)
        return urllib.request.urlopen(url, timeout=TIMEOUT_S)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the open connection
        raise DownloadError(
            f"downloading {remote.filename} from {url} failed: HTTP {exc.code} {exc.reason}. "
            + _place_hint(remote, folder)
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DataNotFoundError(
            f"{remote.filename} is not in {folder} and could not be downloaded from {url} "
            f"(no network? {reason}). " + _place_hint(remote, folder)
        ) from exc


def _download(remote: RemoteFile, target: Path) -> str | None:
    """Stream ``remote`` to ``<target>.part``, rename to ``target``; return the digest seen."""
    from tqdm.auto import tqdm

    part = target.with_name(target.name + ".part")
    h = hashlib.new(remote.algorithm) if remote.algorithm else None
    with _open(remote.url, remote, target.parent) as resp:
        total = int(resp.headers.get("Content-Length") or 0) or remote.size
        try:
            with open(part, "wb") as out, tqdm(
                total=total, unit="B", unit_scale=True, unit_divisor=1024,
                desc=remote.filename, mininterval=0.5,
            ) as bar:
                while block := resp.read(1 << 20):
                    out.write(block)
                    if h:
                        h.update(block)
                    bar.update(len(block))
        except (OSError, urllib.error.URLError) as exc:
            part.unlink(missing_ok=True)
            raise DownloadError(
                f"the download of {remote.filename} from {remote.url} was interrupted ({exc}). "
                f"Fix: run again, or download it by hand and place it in {target.parent}."
            ) from exc
    os.replace(part, target)
    return h.hexdigest() if h else None


def local_path(spec: str | RemoteFile, data_dir_: str | os.PathLike | None = None) -> Path:
    """Where ``spec``'s file lives (or would live) in the data folder."""
    return data_dir(data_dir_) / _remote(spec).filename


def fetch(spec: str | RemoteFile, data_dir: str | os.PathLike | None = None) -> Path:
    """Return a verified local copy of a registry file, downloading it if needed.

    ``spec`` is a registry name (see ``REGISTRY``) or a ``RemoteFile``. Downloads are refused
    when ``COURSE_OFFLINE=1``. Raises DataNotFoundError, DownloadError or ChecksumError with a
    message that says what to do.
    """
    remote = _remote(spec)
    target = local_path(remote, data_dir)
    if target.exists():
        return verify(target, remote)
    folder = target.parent
    if offline():
        raise DataNotFoundError(
            f"{remote.filename} is not in {folder} and downloads are disabled "
            f"({ENV_OFFLINE}=1 is set), so it cannot be fetched from {remote.url}. "
            + _place_hint(remote, folder)
            + f" Or unset {ENV_OFFLINE} to let the course download it."
        )
    digest = _download(remote, target)
    return verify(target, remote, actual_digest=digest)


# --------------------------------------------------------------------------- extraction
def _corrupt_archive(archive: Path, exc: BaseException) -> ChecksumError:
    remote = _lookup_by_filename(archive.name)
    if remote:
        fix = (f"delete {archive} and run again to download it again from {remote.url}, "
               f"or place a complete copy in {archive.parent}")
    else:
        fix = f"delete {archive} and run again with a complete copy of it"
    return ChecksumError(
        f"the archive {archive} is truncated or corrupt and cannot be extracted ({exc}). "
        f"Nothing was extracted. Fix: {fix}."
    )


_ARCHIVE_ERRORS = (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, OSError)


def extract(archive: str | os.PathLike, dest: str | os.PathLike) -> Path:
    """Extract a .zip or .tar(.gz) archive into the folder ``dest``, atomically.

    Everything is extracted into a temporary sibling ``<dest>.tmp-xxxx`` that is renamed to
    ``dest`` only when extraction succeeded, so an interrupted or failed run never leaves a
    half-filled ``dest``. When the archive holds a single top-level folder (``aclImdb/``),
    that folder becomes ``dest``. A truncated archive raises ChecksumError.
    """
    archive, dest = Path(archive), Path(dest)
    if dest.exists():
        return dest
    tmp = Path(tempfile.mkdtemp(prefix=dest.name + ".tmp-", dir=dest.parent))
    try:
        try:
            if zipfile.is_zipfile(archive):
                with zipfile.ZipFile(archive) as zf:
                    zf.extractall(tmp)
            else:
                with tarfile.open(archive) as tf:
                    if hasattr(tarfile, "data_filter"):  # refuses absolute paths, "..", devices
                        tf.extractall(tmp, filter="data")
                    else:  # pragma: no cover - Python < 3.10.12
                        tf.extractall(tmp)
        except _ARCHIVE_ERRORS as exc:
            raise _corrupt_archive(archive, exc) from exc
        entries = list(tmp.iterdir())
        root = entries[0] if len(entries) == 1 and entries[0].is_dir() else tmp
        os.replace(root, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def extract_member(archive: str | os.PathLike, member: str, dest: str | os.PathLike) -> Path:
    """Extract one member of a zip archive to the file ``dest`` (via a temporary name)."""
    archive, dest = Path(archive), Path(dest)
    if dest.exists():
        return dest
    fd, tmp_name = tempfile.mkstemp(prefix=dest.name + ".tmp-", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        try:
            with os.fdopen(fd, "wb") as out, zipfile.ZipFile(archive) as zf, zf.open(member) as src:
                shutil.copyfileobj(src, out, 1 << 20)
        except KeyError:
            raise DataError(
                f"{archive} has no member {member!r}. Fix: check that {archive.name} is the "
                f"right file, or place {member} itself in {archive.parent}."
            ) from None
        except _ARCHIVE_ERRORS as exc:
            raise _corrupt_archive(archive, exc) from exc
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest
