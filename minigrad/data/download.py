"""Fetching files from a list of mirrors, verified before they are trusted.

Each file is downloaded to ``<name>.part`` with a progress bar, checked against its known
MD5 and SHA-256, and only then moved into place; a failure or a mismatch on one mirror moves
on to the next, and the ``.part`` file never survives.
"""
from __future__ import annotations

import hashlib
import os

CHUNK = 1 << 16


class DownloadError(RuntimeError):
    """No mirror delivered a file with the expected checksums. ``failures`` lists
    (url, what went wrong) per mirror tried."""

    def __init__(self, message, failures=()):
        super().__init__(message)
        self.failures = list(failures)

    def why(self) -> str:
        """What went wrong, in one line: the reason once if every mirror failed the same way
        (no network: the usual case), else each mirror's."""
        reasons = [" ".join(str(reason).split()) for _, reason in self.failures]
        if not reasons:
            return "no mirror to download from"
        if len(set(reasons)) == 1:
            return (f"every mirror ({len(reasons)}) failed: " if len(reasons) > 1 else
                    f"{self.failures[0][0]}: ") + reasons[0]
        return "; ".join(f"{url}: {reason}" for (url, _), reason in zip(self.failures, reasons))


def file_digests(path) -> tuple[str, str]:
    """(md5, sha256) of a file, as hex strings."""
    md5, sha256 = hashlib.md5(), hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            md5.update(chunk)
            sha256.update(chunk)
    return md5.hexdigest(), sha256.hexdigest()


def is_verified(path, md5: str, sha256: str | None = None) -> bool:
    if not os.path.isfile(path):
        return False
    got_md5, got_sha256 = file_digests(path)
    return got_md5 == md5 and (sha256 is None or got_sha256 == sha256)


def download_verified(filename: str, directory, mirrors, md5: str, sha256: str | None = None,
                      timeout: float = 30.0, progress: bool | None = None) -> str:
    """Download ``filename`` from the first mirror that serves it with the right checksums.
    Returns the final path; raises DownloadError listing what each mirror did."""
    import urllib.error  # here, not at the top: `import minigrad` should not pay for it

    created = _missing_folders(directory)
    os.makedirs(directory, exist_ok=True)
    target = os.path.join(directory, filename)
    partial = target + ".part"
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + filename
        try:
            _fetch(url, partial, timeout, progress)
            if not is_verified(partial, md5, sha256):
                got_md5, _ = file_digests(partial)
                raise ValueError(f"checksum mismatch (md5 {got_md5}, expected {md5})")
            os.replace(partial, target)
            return target
        except (OSError, ValueError, urllib.error.URLError) as error:
            failures.append((url, error))
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
    for folder in created:  # deepest first: leave no empty folders behind
        try:
            os.rmdir(folder)
        except OSError:  # not empty (another file arrived meanwhile): keep it
            break
    raise DownloadError(f"could not download {filename}:\n  " + "\n  ".join(
        f"{url}: {error}" for url, error in failures), failures)


def _missing_folders(directory) -> list[str]:
    """The folders that creating ``directory`` would create, deepest first."""
    missing, path = [], os.path.abspath(directory)
    while not os.path.exists(path):
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return missing


def _fetch(url, destination, timeout, progress):
    import urllib.request

    from tqdm.auto import tqdm  # a widget in a notebook, text on a terminal

    from .._display import progress_disabled

    with urllib.request.urlopen(url, timeout=timeout) as response, open(destination, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        with tqdm(total=total, unit="B", unit_scale=True, desc=os.path.basename(destination),
                  disable=progress_disabled(progress),  # None: on a terminal or in a notebook
                  leave=False) as bar:
            for chunk in iter(lambda: response.read(CHUNK), b""):
                out.write(chunk)
                bar.update(len(chunk))
