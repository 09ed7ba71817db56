"""The preferences page: profile fields, a sanitised Markdown bio, languages, time zone, and avatars that
are checked, squared, resized and stripped of their metadata; a bad upload changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agora.accounts.forms import normalize_language_tag
from agora.accounts.models import User

from . import images
from .helpers import dangerous_markup


def form_data(**changes):
    data = {
        "display_name": "Amara N.",
        "bio": "I edit **Yoruba** Wikipedia.",
        "languages": "yo, en",
        "timezone": "Africa/Lagos",
        "location": "Lagos",
    }
    data.update(changes)
    return data


def upload(content: bytes, name="avatar.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def save(client, **changes):
    return client.post("/my/preferences", form_data(**changes))


def test_it_saves_the_profile(member_client, member):
    response = save(member_client)
    assert response.status_code == 302 and response["Location"] == "/u/Member"
    member.refresh_from_db()
    assert (member.display_name, member.languages, member.timezone, member.location) == (
        "Amara N.",
        "yo, en",
        "Africa/Lagos",
        "Lagos",
    )
    assert member.bio_html == "<p>I edit <strong>Yoruba</strong> Wikipedia.</p>\n"
    html = member_client.get("/u/Member").content.decode()
    assert "Your profile was saved." in html and "<strong>Yoruba</strong>" in html


@pytest.mark.parametrize(
    "bio",
    [
        "<script>alert('bio')</script>",
        "[click](javascript:alert('bio'))",
        '<img src=x onerror="alert(1)">',
        "![x](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        "<style>body{display:none}</style>",
    ],
)
def test_the_bio_is_sanitised_at_save(member_client, member, bio):
    save(member_client, bio=bio)
    member.refresh_from_db()
    assert member.bio == bio  # what was written is kept for editing
    assert dangerous_markup(member.bio_html) == []
    profile = member_client.get("/u/Member").content.decode()
    bio_block = profile.split('class="cooked bio"', 1)[1].split("</div>", 1)[0] if member.bio_html else ""
    assert dangerous_markup(bio_block) == []


def test_the_sanitiser_check_can_fail():
    assert dangerous_markup('<p><img src=x onerror="alert(1)"><a href=" JavaScript:x">y</a></p>') == [
        "onerror= on <img>",
        "javascript: URL on <a>",
    ]
    assert dangerous_markup("<p>&lt;img src=x onerror=alert(1)&gt;</p>") == []


def test_the_display_name_and_location_lose_invisible_controls(member_client, member):
    assert save(member_client, display_name="  Amara \u202eN.\u200b  ", location="La\u200egos\x07").status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Amara N."
    assert member.location == "Lagos"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("fr", "fr"),
        ("pt_br, EN", "pt-BR, en"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("sr-latn", "sr-Latn"),
        ("es-419", "es-419"),
        ("de-CH-1996", "de-CH-1996"),
        ("en-US-x-twain", "en-US-x-twain"),
        ("fr fr, fr", "fr"),
        ("", ""),
    ],
)
def test_language_codes_are_validated_and_written_as_bcp47(member_client, member, typed, stored):
    assert save(member_client, languages=typed).status_code == 302
    member.refresh_from_db()
    assert member.languages == stored


@pytest.mark.parametrize("typed", ["english", "e", "en--us", "123", "fr, français", "x-private", "en-US-"])
def test_bad_language_codes_are_refused_with_the_text_kept(member_client, member, typed):
    response = save(member_client, languages=typed, bio="Changed bio")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Not a language code" in html
    assert "Changed bio" in html
    member.refresh_from_db()
    assert member.bio == "" and member.languages == ""


def test_normalize_language_tag():
    assert normalize_language_tag("ZH_hans_cn") == "zh-Hans-CN"
    assert normalize_language_tag("en-a-bbb-x-ccc") == "en-a-bbb-x-ccc"
    assert normalize_language_tag("klingon") is None


def test_the_time_zone_must_be_an_iana_zone(member_client, member):
    response = save(member_client, timezone="Mars/Olympus_Mons")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert save(member_client, timezone="America/Argentina/Buenos_Aires").status_code == 302
    member.refresh_from_db()
    assert member.timezone == "America/Argentina/Buenos_Aires"


def stored_avatar(user) -> Image.Image:
    user.refresh_from_db()
    assert user.avatar, "no avatar was stored"
    with user.avatar.open("rb") as f:
        data = f.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    image.raw_bytes = data
    return image


def test_an_avatar_is_squared_resized_and_stripped_of_metadata(member_client, member, media_root):
    photo = images.photo_with_metadata()
    original = Image.open(io.BytesIO(photo))
    assert original.getexif().get_ifd(0x8825), "the test photo must carry a GPS position"

    response = member_client.post("/my/preferences", {**form_data(), "avatar": upload(photo)})
    assert response.status_code == 302

    avatar = stored_avatar(member)
    assert avatar.format == "WEBP"
    assert avatar.size == (256, 256)
    assert dict(avatar.getexif()) == {}
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(avatar.info)
    for secret in (b"Exif", b"PhoneMaker", b"SecretPhone", b"Jane Photographer", b"secret comment", b"XMP"):
        assert secret not in avatar.raw_bytes
    assert (media_root / member.avatar.name).is_file()
    html = member_client.get("/u/Member").content.decode()
    assert f'src="/media/{member.avatar.name}"' in html


def test_an_avatar_is_turned_upright_by_its_exif_orientation(member_client, member):
    member_client.post("/my/preferences", {**form_data(), "avatar": upload(images.rotated_photo())})
    avatar = stored_avatar(member).convert("RGB")
    # Orientation 6 turns the picture a quarter clockwise: the black half ends up on top.
    assert avatar.getpixel((128, 20))[0] < 60
    assert avatar.getpixel((128, 236))[0] > 200


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (images.image_bytes(fmt="PNG", mode="RGBA", colour=(0, 0, 0, 0)), "clear.png", "image/png"),
        (images.image_bytes(fmt="GIF", mode="P", colour=3), "small.gif", "image/gif"),
        (images.image_bytes(size=(3000, 200), fmt="WEBP"), "wide.webp", "image/webp"),
        (images.image_bytes(size=(40, 40), fmt="JPEG", mode="CMYK", colour=(0, 0, 0, 0)), "print.jpg", "image/jpeg"),
        (images.image_bytes(size=(64, 64), fmt="PNG", mode="I;16", colour=300), "deep.png", "image/png"),
    ],
)
def test_it_accepts_the_usual_image_kinds(member_client, member, content, name, content_type):
    response = member_client.post("/my/preferences", {**form_data(), "avatar": upload(content, name, content_type)})
    assert response.status_code == 302
    assert stored_avatar(member).size == (256, 256)


BAD_UPLOADS = {
    "text renamed .png": (b"Just some text, honestly.\n" * 20, "avatar.png", "image/png", "not an image we can read"),
    "random bytes": (bytes(range(256)) * 8, "avatar.jpg", "image/jpeg", "not an image we can read"),
    "truncated jpeg": (images.photo_with_metadata()[:6000], "avatar.jpg", "image/jpeg", "not an image we can read"),
    "truncated png": (images.image_bytes(size=(600, 600))[:300], "avatar.png", "image/png", "not an image we can read"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "a.svg", "image/svg+xml",
            "not an image we can read"),
    "tiff": (images.image_bytes(fmt="TIFF"), "avatar.tiff", "image/tiff", "not an image we can read"),
    "bomb header": (images.png_claiming(30000, 30000), "bomb.png", "image/png", "too many pixels"),
    "huge header": (images.png_claiming(9000, 9000), "bomb.png", "image/png", "too many pixels"),
    "real bomb": (images.real_bomb(), "bomb.png", "image/png", "too many pixels"),
    "too large": (b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024 + 1), "big.jpg", "image/jpeg", "too large: 5 MB at most"),
    "empty": (b"", "empty.png", "image/png", "The submitted file is empty"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_a_bad_avatar_is_refused_clearly_and_changes_nothing(member_client, member, case):
    # An avatar is in place already; a refused upload must leave it and every other field as they were.
    member_client.post("/my/preferences", {**form_data(), "avatar": upload(images.image_bytes(fmt="PNG"), "ok.png")})
    member.refresh_from_db()
    before = (member.avatar.name, member.display_name, member.bio, member.bio_html)
    assert member.avatar

    content, name, content_type, message = BAD_UPLOADS[case]
    typed = form_data(display_name="A new name", bio="A bio typed *with care*")
    response = member_client.post("/my/preferences", {**typed, "avatar": upload(content, name, content_type)})

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "A bio typed *with care*</textarea>" in html  # what was typed stays in the form
    assert 'value="A new name"' in html
    member.refresh_from_db()
    assert (member.avatar.name, member.display_name, member.bio, member.bio_html) == before
    assert User.objects.get(pk=member.pk).avatar.storage.exists(member.avatar.name)


def test_the_header_does_not_show_a_refused_change(member_client, member):
    response = member_client.post(
        "/my/preferences", {**form_data(display_name="Refused Name"), "avatar": upload(b"not an image", "x.png")}
    )
    assert response.status_code == 400
    header = response.content.decode().split("<main", 1)[0]
    assert "Refused Name" not in header


def test_a_new_avatar_replaces_the_old_file(member_client, member, django_capture_on_commit_callbacks):
    member_client.post("/my/preferences", {**form_data(), "avatar": upload(images.image_bytes(fmt="PNG"), "a.png")})
    member.refresh_from_db()
    old_name = member.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            "/my/preferences",
            {**form_data(), "avatar": upload(images.image_bytes(fmt="PNG", colour=(1, 2, 3)), "b.png")},
        )
    member.refresh_from_db()
    assert member.avatar.name != old_name
    assert member.avatar.storage.exists(member.avatar.name)
    assert not member.avatar.storage.exists(old_name)


def test_removing_the_avatar_brings_back_the_letter(member_client, member, django_capture_on_commit_callbacks):
    member_client.post("/my/preferences", {**form_data(), "avatar": upload(images.image_bytes(fmt="PNG"), "a.png")})
    member.refresh_from_db()
    old_name = member.avatar.name
    assert 'name="remove_avatar"' in member_client.get("/my/preferences").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post("/my/preferences", {**form_data(), "remove_avatar": "on"})
    member.refresh_from_db()
    assert not member.avatar
    assert not member.avatar.storage.exists(old_name)
    assert 'class="avatar letter large' in member_client.get("/u/Member").content.decode()
