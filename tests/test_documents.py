"""Public documents (Wagtail's serve view): byte ranges, so that videos play on iPhones."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

pytestmark = pytest.mark.django_db

CONTENT = bytes(range(256)) * 4  # 1,024 bytes


@pytest.fixture
def video():
    return get_document_model().objects.create(
        title="Tutoriel", file=ContentFile(CONTENT, name="tutoriel.mp4")
    )


def body(response):
    return b"".join(response.streaming_content)


def test_a_document_announces_byte_ranges_and_no_bogus_encoding(client, video):
    response = client.get(video.url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert "Content-Encoding" not in response
    assert body(response) == CONTENT


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-1", 0, 1),
        ("bytes=100-199", 100, 199),
        ("bytes=1000-", 1000, 1023),
        ("bytes=-24", 1000, 1023),
        ("bytes=1000-5000", 1000, 1023),
    ],
)
def test_a_range_request_gets_206_with_those_bytes(client, video, header, start, end):
    response = client.get(video.url, headers={"Range": header})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/1024"
    assert int(response["Content-Length"]) == end - start + 1
    assert body(response) == CONTENT[start : end + 1]


def test_a_range_past_the_end_is_416(client, video):
    response = client.get(video.url, headers={"Range": "bytes=5000-"})
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "octets=0-1", "bytes=abc", "bytes=9-2"])
def test_a_range_we_do_not_serve_gets_the_whole_file(client, video, header):
    response = client.get(video.url, headers={"Range": header})
    assert response.status_code == 200
    assert body(response) == CONTENT


def test_a_document_of_a_restricted_collection_stays_behind_its_login(client, video):
    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Interne")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    video.collection = private
    video.save()
    response = client.get(video.url, headers={"Range": "bytes=0-1"})
    assert response.status_code == 302
