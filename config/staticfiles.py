"""The static files' storage: whitenoise's compressed manifest storage, whose addresses are
found once per file and process.

`{% static %}` asks the storage for a file's address on every render (the stylesheet, the two
scripts, the favicon: four per page), and the manifest storage answers through its manifest, a
URL split, join and quote each time: about a hundred Python calls. The manifest is read when
the process starts and does not change while it runs; `collectstatic`, which writes a new one,
forgets what was found. In DEBUG the storage answers unhashed addresses, as Django's does.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

from django.conf import settings

# Every file a template names, a few dozen; an address asked for beyond these is not kept.
MAX_KEPT = 512


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = super().url(name)  # a file missing from the manifest raises, and is not kept
            if len(self._urls) < MAX_KEPT:
                self._urls[name] = url
            return url

    def post_process(self, *args, **kwargs):
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
