"""File storage whose original images cannot be found from a product's slug.

/media/ is served as plain files (by Django's static view under `make run`, by the web
server in front of gunicorn in production), with no visibility rule in the way. Wagtail
names an uploaded original after its file (`original_images/nuoc-mam-ca-com.jpg`) and each
rendition after its original (`images/nuoc-mam-ca-com.2e16d0ba.fill-640x480.jpg`), so a
hidden product's picture could be fetched by guessing its slug. Here every original gets a
random prefix of 72 bits (`original_images/Xq3v9Tb0LkQe_nuoc-mam-ca-com.jpg`), which its
renditions inherit: an image is reachable only through a page or API answer that shows it.
"""

import posixpath
import re
import secrets

from django.core.files.storage import FileSystemStorage

ORIGINALS = "original_images"
TOKEN_CHARS = 12  # secrets.token_urlsafe(9): 72 random bits
PROTECTED_NAME = re.compile(rf"^{ORIGINALS}/[A-Za-z0-9_-]{{{TOKEN_CHARS}}}_")


def unguessable(name):
    """`name` with a fresh random prefix on its file name, if it is an original image."""
    directory, base = posixpath.split(name)
    if directory != ORIGINALS:
        return name
    return posixpath.join(directory, f"{secrets.token_urlsafe(9)}_{base}")


def is_protected(name):
    return bool(PROTECTED_NAME.match(name))


class UnguessableNamesMixin:
    """For any Django storage: names chosen for new uploads get the random prefix."""

    def generate_filename(self, filename):
        return unguessable(super().generate_filename(filename))


class UnguessableFileSystemStorage(UnguessableNamesMixin, FileSystemStorage):
    pass


def protect_existing_originals(images):
    """Move originals stored under a guessable name to a random one; returns how many moved.

    For files uploaded before this storage was configured. Their renditions are deleted
    (Wagtail removes the files once the deletion commits) and come back, under names
    derived from the new one, the next time a page asks for them.
    """
    moved = 0
    for image in images:
        old = image.file.name
        new = unguessable(old)
        if new == old or is_protected(old):
            continue
        storage = image.file.storage
        with storage.open(old) as content:
            image.file.name = storage.save(new, content, max_length=image.file.field.max_length)
        image.save(update_fields=["file"])
        image.renditions.all().delete()
        storage.delete(old)
        moved += 1
    return moved
