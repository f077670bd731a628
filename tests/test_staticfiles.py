"""The static files' storage (config/staticfiles.py) answers what whitenoise's manifest storage
answers, finding each address once: hashed outside DEBUG, unhashed in it, a file missing from
the manifest an error each time, and a new manifest (collectstatic) read afresh."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from django.core.files.storage import FileSystemStorage
from django.test import override_settings

from config.staticfiles import StaticFilesStorage

NAMES = ["css/site.css", "js/site.js", "img/favicon.svg", "img/ảnh sản phẩm.svg", "css/site.css#section"]


def manifest(root, paths):
    (root / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1", "hash": "0"}))


@pytest.fixture
def root(tmp_path):
    manifest(
        tmp_path,
        {
            "css/site.css": "css/site.c299fc788982.css",
            "js/site.js": "js/site.4f1d2b0c9e8a.js",
            "img/favicon.svg": "img/favicon.0a1b2c3d4e5f.svg",
            "img/ảnh sản phẩm.svg": "img/ảnh sản phẩm.77aa88bb99cc.svg",
        },
    )
    return tmp_path


def storages(root):
    return (
        StaticFilesStorage(location=str(root), base_url="/static/"),
        CompressedManifestStaticFilesStorage(location=str(root), base_url="/static/"),
    )


@pytest.mark.parametrize("debug", [False, True])
def test_each_address_is_whitenoise_s(root, debug):
    ours, theirs = storages(root)
    with override_settings(DEBUG=debug):
        for _ in range(2):  # found, then kept
            assert [ours.url(name) for name in NAMES] == [theirs.url(name) for name in NAMES]
    assert ours.url("css/site.css") == "/static/css/site.c299fc788982.css"


def test_a_file_missing_from_the_manifest_fails_every_time(root):
    ours, _theirs = storages(root)
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            ours.url("css/missing.css")


def test_collectstatic_forgets_the_addresses_found(root, tmp_path_factory):
    ours, _theirs = storages(root)
    assert ours.url("css/site.css") == "/static/css/site.c299fc788982.css"
    source = tmp_path_factory.mktemp("source")  # collectstatic's post-processing of one file
    (source / "css").mkdir()
    (source / "css" / "site.css").write_text("body { color: #123; }")
    found = FileSystemStorage(location=str(source))
    ours.save("css/site.css", found.open("css/site.css"))
    list(ours.post_process({"css/site.css": (found, "css/site.css")}))
    assert ours.url("css/site.css") != "/static/css/site.c299fc788982.css"
    assert ours.url("css/site.css") == CompressedManifestStaticFilesStorage(
        location=str(root), base_url="/static/"
    ).url("css/site.css")
