"""The key that signs sessions, the CSRF cookie and every signed link must be one
nobody else has (docs/security.md, "Signing key"). Anyone who knows it can forge
what it signs, so production refuses, at settings load, before serving anything, a key
that is public: the development default, Django's `django-insecure-` placeholder, or
any key written in a file of this repository (an example, a test, a build step)."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# The default of geo/settings/base.py, for `make dev` and tests without a `.env`.
DEVELOPMENT_KEY = "dev-only-insecure-key-change-me"
# Folders of the checkout that are not the repository's files.
NOT_IN_THE_REPOSITORY = {
    ".git",
    ".venv",
    "node_modules",
    "var",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
}
PRIVATE_FILES = {".env", ".env.tmp"}  # where the generated key is kept
HOW_TO = (
    "Generate one / создайте ключ: "
    "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
)


def production_key(key, root):
    """`key`, if production may sign with it; ImproperlyConfigured otherwise."""
    reason = public_key_reason(key, Path(root))
    if reason:
        raise ImproperlyConfigured(f"SECRET_KEY {reason}. {HOW_TO}")
    return key


def public_key_reason(key, root):
    """Why `key` is known to others, or None."""
    if not key:
        return "is empty / пуст"
    if key == DEVELOPMENT_KEY:
        return "is the development key / ключ для разработки"
    if key.startswith("django-insecure-"):
        return "is Django's placeholder / заготовка Django"
    found = next(files_containing(key, root), None)
    if found:
        return f"is written in the repository / записан в репозитории: {found}"
    return None


def files_containing(key, root):
    """Paths (relative to `root`) of the checkout's own files that hold `key`; the
    whole checkout (~1 MB) reads in a few milliseconds."""
    needle = key.encode()
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if name not in NOT_IN_THE_REPOSITORY]
        for name in files:
            path = Path(folder, name)
            if name not in PRIVATE_FILES and needle in _read(path):
                yield path.relative_to(root).as_posix()


def _read(path):
    try:
        return path.read_bytes()
    except OSError:  # a dangling link, a file the server's user may not read
        return b""
