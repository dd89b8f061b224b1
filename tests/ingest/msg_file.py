"""Build a small Outlook .msg file for tests (no Outlook here, and no real person's file may be
committed): a Compound File Binary (MS-CFB, version 3, 512-byte sectors) holding the MAPI
property streams of MS-OXMSG that a saved message carries — message class, subject, body,
sender, and the transport headers (PidTagTransportMessageHeaders).

Every stream is smaller than the 4,096-byte cutoff, so all live in the mini stream (64-byte
mini sectors) as MS-CFB requires; siblings are chained through their right-sibling links (the
readers look streams up by name, not by the tree's order).
"""

from __future__ import annotations

import math
import struct

SECTOR = 512
MINI = 64
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def msg_bytes(*, subject: str, body: str, sender_name: str, sender_email: str,
              headers: str) -> bytes:
    """A .msg file (IPM.Note) with these properties; ``headers`` is the RFC 5322 header block
    as Outlook keeps it (CRLF line ends)."""
    props = bytes(8) + struct.pack("<IIII", 1, 0, 1, 0) + bytes(8)  # top-level header, no props
    streams = [
        ("__properties_version1.0", props),
        ("__substg1.0_001A001F", _utf16("IPM.Note")),
        ("__substg1.0_0037001F", _utf16(subject)),
        ("__substg1.0_1000001F", _utf16(body)),
        ("__substg1.0_0C1A001F", _utf16(sender_name)),
        ("__substg1.0_0C1F001F", _utf16(sender_email)),
        ("__substg1.0_0C1E001F", _utf16("SMTP")),
        ("__substg1.0_007D001F", _utf16(headers)),
    ]
    nameid = [("__substg1.0_00020102", b""), ("__substg1.0_00030102", b""),
              ("__substg1.0_00040102", b"")]
    return _cfb(streams, [("__nameid_version1.0", nameid)])


def _cfb(streams: list[tuple[str, bytes]],
         storages: list[tuple[str, list[tuple[str, bytes]]]]) -> bytes:
    # Directory entries: (name, type, data, child index), root first.
    entries: list[list[object]] = [["Root Entry", 5, b"", NOSTREAM]]
    top: list[int] = []
    for name, data in streams:
        top.append(len(entries))
        entries.append([name, 2, data, NOSTREAM])
    for name, children in storages:
        top.append(len(entries))
        storage = [name, 1, b"", NOSTREAM]
        entries.append(storage)
        kids = []
        for child, data in children:
            kids.append(len(entries))
            entries.append([child, 2, data, NOSTREAM])
        storage[3] = kids[0] if kids else NOSTREAM
        _chain(entries, kids)
    entries[0][3] = top[0]
    _chain(entries, top)
    # The mini stream: each stream's data in 64-byte mini sectors, chained in the mini FAT.
    mini = bytearray()
    minifat: list[int] = []
    starts: dict[int, int] = {}
    for index, entry in enumerate(entries):
        data = entry[2]
        assert isinstance(data, bytes)
        if entry[1] != 2 or not data:
            continue
        count = math.ceil(len(data) / MINI)
        starts[index] = len(minifat)
        minifat += [len(minifat) + i + 1 for i in range(count - 1)] + [END]
        mini += data + bytes(count * MINI - len(data))
    dir_sectors = math.ceil(len(entries) * 128 / SECTOR)
    minifat_sectors = math.ceil(len(minifat) * 4 / SECTOR)
    mini_sectors = math.ceil(len(mini) / SECTOR)
    fat_sectors = 1  # enough for these small files (128 sectors)
    total = fat_sectors + dir_sectors + minifat_sectors + mini_sectors
    assert total <= SECTOR // 4
    fat = [FATSECT]
    first_dir = len(fat)
    for run in (dir_sectors, minifat_sectors, mini_sectors):
        base = len(fat)
        fat += [base + i + 1 for i in range(run - 1)] + [END] if run else []
    fat += [FREE] * (SECTOR // 4 - len(fat))
    first_minifat = first_dir + dir_sectors
    first_mini = first_minifat + minifat_sectors
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, fat_sectors, first_dir, 0, 0x1000,
                            first_minifat if minifat else END, minifat_sectors, END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    directory = b"".join(_entry(entries, i, starts, first_mini if mini else END, len(mini))
                         for i in range(len(entries)))
    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += directory + bytes(dir_sectors * SECTOR - len(directory))
    packed = struct.pack(f"<{len(minifat)}I", *minifat)
    out += packed + struct.pack("<I", FREE) * ((minifat_sectors * SECTOR - len(packed)) // 4)
    out += mini + bytes(mini_sectors * SECTOR - len(mini))
    return bytes(out)


def _chain(entries: list[list[object]], siblings: list[int]) -> None:
    for here, after in zip(siblings, siblings[1:], strict=False):
        entries[here].append(after)
    for index in siblings:
        if len(entries[index]) == 4:
            entries[index].append(NOSTREAM)


def _entry(entries: list[list[object]], index: int, starts: dict[int, int], root_start: int,
           root_size: int) -> bytes:
    name, kind, data, child = entries[index][:4]
    right = entries[index][4] if len(entries[index]) > 4 else NOSTREAM
    assert isinstance(name, str) and isinstance(data, bytes)
    encoded = _utf16(name) + b"\x00\x00"
    start, size = (root_start, root_size) if kind == 5 else (starts.get(index, END), len(data))
    return (encoded + bytes(64 - len(encoded))
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", NOSTREAM, right, child) + bytes(16) + bytes(4) + bytes(16)
            + struct.pack("<IQ", start, size))
