"""Writes a real, valid PNG of WIDTH x HEIGHT one-bit pixels: a decompression bomb (30 000 x 30 000
is 900 million pixels, 3.6 GB once a browser decodes it to RGBA) that is about 100 KB on disk.

Made with Python's zlib, not the app's code: the tests check that the browser and the backend
refuse it from its header, with the limit in the message.

    python png_bomb.py OUT.png WIDTH HEIGHT
"""
import struct
import sys
import zlib


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def main() -> None:
    out, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte, then one bit a pixel
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    with open(out, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


if __name__ == "__main__":
    main()
