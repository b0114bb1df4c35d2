"""On-disk cache of compiled kernel objects.

A compiled object is position-independent ELF that the runtime's JIT can load without any MLIR or LLVM
optimization work, so a process that finds its kernels here starts in milliseconds instead of compiling.

Entries are keyed by everything that affects the generated code (the caller passes the IR text, the
pipeline, the tensorc and LLVM versions and the host CPU to :func:`key`). Each entry is one file::

    MAGIC | u32 key length | key (ascii) | u32 meta length | meta (JSON, utf-8)
          | u64 object length | object | sha256 of all the preceding bytes

Loading is paranoid because the object is executed: a wrong magic, a length that does not add up, a
bad checksum or an entry stored under another key all read as a miss (``None``), so the caller
recompiles and overwrites. An entry that passes these checks but that the JIT then refuses (an object
from another LLVM or CPU that slipped through the key) is the caller's to :func:`remove`. The directory is private to the user (0700, files 0600) and written
atomically (temporary file + ``os.replace``), so concurrent processes never see half-written entries.

Environment:
    TENSORC_CACHE_DIR      cache directory (default: $XDG_CACHE_HOME/tensorc, else ~/.cache/tensorc)
    TENSORC_CACHE_DISABLE  set to 1 to disable the cache (loads miss, stores do nothing)
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import struct
import warnings

__all__ = ["cache_dir", "enabled", "key", "load", "store", "remove", "entry_path"]

MAGIC = b"TENSORC\x00OBJ\x00v1\n\x00\x00"  # 16 bytes; bump the version when the layout changes
_SUFFIX = ".tco"
_DIGEST = 32
_warned: set[str] = set()


def _warn_once(message: str) -> None:
    # A broken cache must not break compilation, but the user should learn about it once.
    if message not in _warned:
        _warned.add(message)
        warnings.warn(message, RuntimeWarning, stacklevel=3)


def enabled() -> bool:
    return os.environ.get("TENSORC_CACHE_DISABLE", "") not in ("1", "true", "True", "yes")


def cache_dir() -> str:
    """The cache directory for this process (read from the environment on every call)."""
    explicit = os.environ.get("TENSORC_CACHE_DIR")
    if explicit:
        return os.path.abspath(os.path.expanduser(explicit))
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = xdg if xdg and os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tensorc")


def key(*parts: str | bytes) -> str:
    """A hex sha256 over `parts`. Each part is tagged with its type and length, so that no two
    different part lists hash the same bytes (("ab", "c") vs ("a", "bc"), b"x" vs "x")."""
    h = hashlib.sha256(b"tensorc-cache-key-v1")
    for part in parts:
        if isinstance(part, str):
            data, tag = part.encode("utf-8"), b"s"
        elif isinstance(part, (bytes, bytearray, memoryview)):
            data, tag = bytes(part), b"b"
        else:
            raise TypeError(f"cache key parts must be str or bytes, got {type(part).__name__}")
        h.update(tag + struct.pack("<Q", len(data)) + data)
    return h.hexdigest()


def _valid_key(k: str) -> bool:
    # Keys become file names: only what key() produces is accepted (no path separators, no "..").
    return isinstance(k, str) and len(k) == 64 and all(c in "0123456789abcdef" for c in k)


def _private_dir(create: bool) -> str | None:
    """The cache directory, created 0700 if needed; None when it is unusable or not safely ours.

    Objects loaded from the cache are executed, so a directory another user can write to must not be
    used: it would let them run code in this process.
    """
    path = cache_dir()
    try:
        if create:
            os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        _warn_once(f"tensorc cache disabled: cannot create {path!r}: {e}")
        return None
    if not stat.S_ISDIR(st.st_mode):
        _warn_once(f"tensorc cache disabled: {path!r} is not a directory")
        return None
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        _warn_once(f"tensorc cache disabled: {path!r} belongs to another user")
        return None
    if st.st_mode & 0o077:
        # Ours but wider than private (an old umask, a manual mkdir): tighten it.
        try:
            os.chmod(path, 0o700)
        except OSError as e:
            _warn_once(f"tensorc cache disabled: cannot make {path!r} private: {e}")
            return None
    return path


def entry_path(k: str) -> str:
    """Where the entry for key `k` lives (whether or not it exists)."""
    if not _valid_key(k):
        raise ValueError(f"not a cache key: {k!r}")
    return os.path.join(cache_dir(), k + _SUFFIX)


def _encode(k: str, obj: bytes, meta: dict) -> bytes:
    key_bytes = k.encode("ascii")
    meta_bytes = json.dumps(meta, sort_keys=True, separators=(",", ":")).encode("utf-8")
    body = b"".join(
        (
            MAGIC,
            struct.pack("<I", len(key_bytes)),
            key_bytes,
            struct.pack("<I", len(meta_bytes)),
            meta_bytes,
            struct.pack("<Q", len(obj)),
            obj,
        )
    )
    return body + hashlib.sha256(body).digest()


def _decode(k: str, data: bytes) -> tuple[bytes, dict] | None:
    if len(data) < len(MAGIC) + 4 + 4 + 8 + _DIGEST or not data.startswith(MAGIC):
        return None
    body, digest = data[:-_DIGEST], data[-_DIGEST:]
    if hashlib.sha256(body).digest() != digest:
        return None
    pos = len(MAGIC)
    (key_len,) = struct.unpack_from("<I", body, pos)
    pos += 4
    if body[pos : pos + key_len] != k.encode("ascii"):
        return None  # another key's entry (renamed or copied file)
    pos += key_len
    if pos + 4 > len(body):
        return None
    (meta_len,) = struct.unpack_from("<I", body, pos)
    pos += 4
    meta_bytes = body[pos : pos + meta_len]
    pos += meta_len
    if len(meta_bytes) != meta_len or pos + 8 > len(body):
        return None
    (obj_len,) = struct.unpack_from("<Q", body, pos)
    pos += 8
    if pos + obj_len != len(body):
        return None
    meta = json.loads(meta_bytes.decode("utf-8"))
    if not isinstance(meta, dict):
        return None
    return bytes(body[pos:]), meta


def load(k: str) -> tuple[bytes, dict] | None:
    """The (object, metadata) stored under key `k`, or None for a miss, a disabled cache or an entry
    that is truncated, corrupt or not for this key. Never raises."""
    if not enabled() or not _valid_key(k):
        return None
    try:
        directory = _private_dir(create=False)
        if directory is None:
            return None
        path = os.path.join(directory, k + _SUFFIX)
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
                return None
            data = f.read()
        return _decode(k, data)
    except Exception:
        # Missing file, permission problem, bad JSON, bad UTF-8...: all plain misses.
        return None


def store(k: str, obj: bytes, meta: dict | None = None) -> bool:
    """Stores `obj` and its JSON-serializable `meta` under key `k`, atomically. Returns whether the
    entry was written; failures (disk full, read-only directory) only warn, once."""
    if not enabled():
        return False
    if not _valid_key(k):
        raise ValueError(f"not a cache key: {k!r}")
    payload = _encode(k, bytes(obj), dict(meta or {}))  # bad metadata is the caller's bug: raise
    directory = _private_dir(create=True)
    if directory is None:
        return False
    tmp = None
    import tempfile  # only to store: a cache hit does not need it (5 ms of imports)

    try:
        # mkstemp creates the file 0600 and with a unique name, so concurrent writers never collide.
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=_SUFFIX, dir=directory)
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, os.path.join(directory, k + _SUFFIX))
        tmp = None
        return True
    except OSError as e:
        _warn_once(f"tensorc cache: cannot write to {directory!r}: {e}")
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def remove(k: str) -> bool:
    """Deletes the entry stored under key `k`. Returns whether a file was removed; a missing entry, a
    disabled cache or a directory that is not safely ours removes nothing. Never raises."""
    if not enabled() or not _valid_key(k):
        return False
    try:
        directory = _private_dir(create=False)
        if directory is None:
            return False
        os.unlink(os.path.join(directory, k + _SUFFIX))
        return True
    except OSError:
        return False
