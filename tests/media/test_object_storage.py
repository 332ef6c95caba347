"""Uploads and renditions in S3-compatible storage, against a real S3 API server.

moto's standalone server speaks the S3 protocol over HTTP on 127.0.0.1; the site
talks to it through django-storages exactly as it would to S3, MinIO or R2.
"""

import io
import re
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from alwaght.settings import media_storage, s3_media_url
from media.models import Film, Photo
from media.renditions import renditions_make_missing
from tests.factories import make_article
from tests.media.test_videos import mp4
from tests.servers import free_port

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

# One worker of `make test` runs them all, so the S3 server starts once.
pytestmark = [pytest.mark.django_db, pytest.mark.servers, pytest.mark.xdist_group("s3-server")]

BUCKET = "alwaght-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """Point the site's uploads at a fresh bucket, configured as an operator would."""
    environment = {
        "DJANGO_MEDIA_STORAGE": "s3",
        "DJANGO_S3_BUCKET": BUCKET,
        "DJANGO_S3_ENDPOINT_URL": s3_endpoint,
        "DJANGO_S3_REGION": "us-east-1",
        "DJANGO_S3_ACCESS_KEY_ID": "test-key",
        "DJANGO_S3_SECRET_ACCESS_KEY": "test-secret",
        "DJANGO_S3_ADDRESSING_STYLE": "path",
        "DJANGO_S3_DEFAULT_ACL": "public-read",  # or a public-read bucket policy
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage()}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client, prefix=""):
    listing = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return {item["Key"] for item in listing.get("Contents", [])}


def jpeg(size=(1200, 800)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_uploads_and_renditions_round_trip_through_the_bucket(
    client, admin_user, bucket, s3_endpoint, django_capture_on_commit_callbacks, media_root
):
    client.force_login(admin_user)
    bucket_url = f"{s3_endpoint}/{BUCKET}/"

    # A photo uploaded through the photo library lands in the bucket, size on its row.
    response = client.post(
        reverse("admin:media_photo_add"),
        {
            "image": SimpleUploadedFile("harbour.jpg", jpeg(), content_type="image/jpeg"),
            "title": "Harbour",
            "alt_text": "Boats in the harbour",
            "focal_x": "50",
            "focal_y": "50",
        },
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    stored = bucket.head_object(Bucket=BUCKET, Key=photo.image.name)
    assert photo.file_size == stored["ContentLength"] > 0
    assert photo.image.url == bucket_url + photo.image.name  # public, no signature
    assert bucket_url == s3_media_url(media_storage()["OPTIONS"])  # what MEDIA_URL becomes

    # The background job makes the renditions into the bucket; pages link to them there.
    article = make_article(photo=photo)
    assert renditions_make_missing([photo], budget_seconds=600) == (1, 0, 0)
    page = client.get(article.get_absolute_url()).content.decode()
    renditions = keys(bucket, f"renditions/{photo.pk}/")
    assert {key.rsplit(".", 1)[1] for key in renditions} == {"jpg", "webp"}
    shown = set(re.findall(re.escape(bucket_url) + r"(renditions/[^ \"]+)", page))
    assert shown and shown <= set(renditions)
    with urllib.request.urlopen(bucket_url + sorted(renditions)[0], timeout=5) as fetched:
        assert fetched.status == 200 and fetched.read(4)  # served by the bucket itself
    cache_control = bucket.head_object(Bucket=BUCKET, Key=photo.image.name)["CacheControl"]
    assert "immutable" in cache_control

    # A film's video goes to the bucket too.
    response = client.post(
        reverse("admin:media_film_add"),
        {
            "title": "Clip",
            "slug": "clip",
            "poster": photo.pk,
            "video": SimpleUploadedFile("clip.mp4", mp4(), content_type="video/mp4"),
            "status": "draft",
        },
    )
    assert response.status_code == 302
    film = Film.objects.get()
    assert film.video.name in keys(bucket, "films/")

    # Nothing touched this machine's disk.
    assert not media_root.exists() or not any(media_root.rglob("*.*"))

    # Deleting the film and then the photo deletes their files and renditions.
    article.delete()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:media_film_delete", args=[film.pk]), {"post": "yes"})
    assert not keys(bucket, "films/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:media_photo_delete", args=[photo.pk]), {"post": "yes"})
    assert not Photo.objects.exists()
    assert keys(bucket) == set()


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DJANGO_MEDIA_STORAGE": "ftp"}, "must be 'filesystem' or 's3'"),
        ({"DJANGO_MEDIA_STORAGE": "s3", "DJANGO_S3_BUCKET": ""}, "needs DJANGO_S3_BUCKET"),
    ],
)
def test_a_wrong_storage_configuration_stops_the_start(monkeypatch, environment, message):
    from django.core.exceptions import ImproperlyConfigured

    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=message):
        media_storage()


def test_with_a_bucket_pages_may_show_its_pictures():
    """MEDIA_URL becomes the bucket's address: the CSP and the body-image rule allow it."""
    from tests.test_settings import run_shell

    result = run_shell(
        "from django.conf import settings;"
        "print(settings.MEDIA_URL);"
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))",
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        DJANGO_MEDIA_STORAGE="s3",
        DJANGO_S3_BUCKET="alwaght-media",
        DJANGO_S3_CUSTOM_DOMAIN="media.example.org",
    )

    media_url, img_src = result.stdout.split("\n")[:2]
    assert media_url == "https://media.example.org/", result.stderr
    assert "https://media.example.org/" in img_src.split()


def test_a_backup_carries_the_uploads_from_the_bucket(bucket, tmp_path, media_root):
    import tarfile

    from tests.factories import make_photo
    from web.backups import backup_create

    photo = make_photo(size=(64, 48))
    assert not media_root.exists() or not any(media_root.rglob("*.*"))  # all in the bucket

    backup = backup_create(destination=tmp_path)

    with tarfile.open(backup) as outer:
        media = tarfile.open(fileobj=outer.extractfile("media.tar"))
        stored = media.extractfile(photo.image.name).read()
    original = bucket.get_object(Bucket=BUCKET, Key=photo.image.name)["Body"].read()
    assert stored == original
