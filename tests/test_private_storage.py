from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client, override_settings

from cms.checks import private_media_is_not_public


def test_private_files_have_no_url(settings):
    storage = storages["private"]
    name = storage.save("essai/attestation.txt", ContentFile(b"confidentiel"))
    try:
        assert Path(storage.path(name)).is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
        with pytest.raises(ValueError, match="no public URL"):
            storage.url(name)
    finally:
        storage.delete(name)


def test_private_root_is_outside_public_roots(settings):
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert not private.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not private.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert private_media_is_not_public(None) == []


def test_check_refuses_private_root_inside_media_root(settings, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path, PRIVATE_MEDIA_ROOT=tmp_path / "prive"):
        errors = private_media_is_not_public(None)
    assert [error.id for error in errors] == ["portail.E001"]


@pytest.mark.django_db
def test_private_file_is_not_served_under_media_url(settings):
    client = Client(raise_request_exception=False)
    storage = storages["private"]
    name = storage.save("fuite.txt", ContentFile(b"secret"))
    try:
        assert client.get(settings.MEDIA_URL + name).status_code == 404
        traversal = client.get(settings.MEDIA_URL + "../private/" + name)
        assert traversal.status_code in (400, 404)
        assert b"secret" not in traversal.content
    finally:
        storage.delete(name)
