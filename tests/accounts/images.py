"""Image files for the avatar tests, made here: photos with EXIF and GPS, broken files, bombs."""

import io
import struct
import zlib

from PIL import Image, TiffImagePlugin

GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def photo_with_metadata(size=(1200, 800), fmt="JPEG") -> bytes:
    """A photo carrying a camera, an author, a comment and a GPS position, as phones write them."""
    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(0, size[0], 40):  # some detail, so the resize has work to do
        for y in range(0, size[1], 40):
            image.putpixel((x, y), (0, 0, 255))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "SecretPhone 12"  # Model
    exif[0x013B] = "Jane Photographer"  # Artist
    exif[0x0112] = 1  # Orientation
    exif.get_ifd(GPS_IFD).update(
        {
            1: "N",
            2: (TiffImagePlugin.IFDRational(48), TiffImagePlugin.IFDRational(51), TiffImagePlugin.IFDRational(29)),
            3: "E",
            4: (TiffImagePlugin.IFDRational(2), TiffImagePlugin.IFDRational(17), TiffImagePlugin.IFDRational(40)),
        }
    )
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"secret comment", quality=90)
    else:
        image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def image_bytes(size=(300, 300), fmt="PNG", mode="RGB", colour=(20, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour if mode != "1" else 1).save(out, format=fmt)
    return out.getvalue()


def rotated_photo() -> bytes:
    """A tall photo stored sideways (EXIF orientation 6), as cameras do."""
    image = Image.new("RGB", (400, 200), (255, 255, 255))
    image.paste((0, 0, 0), (0, 0, 200, 200))  # black on the left half as stored
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: a decompression bomb's calling card."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def real_bomb() -> bytes:
    """A real 8000x8000 PNG (64 million pixels) that compresses to a few kilobytes."""
    out = io.BytesIO()
    Image.new("1", (8000, 8000), 0).save(out, format="PNG", optimize=True)
    return out.getvalue()
