"""Publishes single files of npm packages (settings.NPM_STATIC_FILES) as static."""

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Warning as CheckWarning
from django.core.files.storage import FileSystemStorage


class NpmFileFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        self.files = {
            name: str(path) for name, path in settings.NPM_STATIC_FILES.items()
        }

    def check(self, **kwargs):
        return [
            CheckWarning(
                f"{path} is missing: run `make run` (npm install)", id="geo.W001"
            )
            for path in self.files.values()
            if not FileSystemStorage(location="/").exists(path)
        ]

    def find(self, path, find_all=False, **kwargs):
        found = self.files.get(path)
        return ([found] if found else []) if find_all else found

    def list(self, ignore_patterns):
        for name, path in self.files.items():
            folder, _, filename = path.rpartition("/")
            storage = FileSystemStorage(location=folder)
            storage.prefix = name.rpartition("/")[0]
            yield filename, storage
