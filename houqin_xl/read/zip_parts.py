"""The parts of an .xlsx package, each decompressed exactly as the zip says it is — no more.

A part's header declares its uncompressed size and checksum; a reader that trusts it and one
that does not can see different data. Python's zipfile stops at the declared size; the Rust
zip reader under calamine decompresses the whole stream. So a part that declares 1 KB and
whose deflate stream goes on for 4 GB would pass a check made with zipfile and then flood
calamine. Here a part is read from its own compressed bytes, and refused unless its stream
ends exactly at the declared size with the declared checksum: whatever calamine reads
afterwards is what was measured here.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from .limits import MB, Limits, refuse_part, too_many_parts
from .sniff import ZIP_ERRORS

_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_STORED, _DEFLATED = 0, 8
_ENCRYPTED = 0x1
READ_CHUNK = 1 * MB


def corrupt(path: Path, part: str | None = None) -> InputError:
    where = f"（{part}）" if part else ""
    return InputError(f"文件已损坏{where}/ file is corrupt or truncated: {path}")


class Package:
    """An .xlsx package opened for reading its parts one by one (one file handle per thread:
    the scan and the caller each open their own)."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        try:
            with zipfile.ZipFile(path) as zf:
                self.members = [m for m in zf.infolist() if not m.is_dir()]
        except ZIP_ERRORS as exc:
            raise corrupt(path) from exc
        if len(self.members) > limits.max_parts:  # an end record that undercounts
            raise too_many_parts(path, len(self.members), limits.max_parts)
        names = [m.filename for m in self.members]
        if len(set(names)) != len(names):
            # Two parts of one name: which one a reader takes is its own affair, and the one
            # measured need not be the one parsed. Excel refuses such a file too.
            raise corrupt(path, "部件重名 / duplicate parts")
        self.by_name = {m.filename: m for m in self.members}
        for member in self.members:
            refuse_part(path, member.filename, member.file_size, member.compress_size, limits)

    def read(self, fh: BinaryIO, name: str) -> bytearray:
        """The part's bytes, verified (raises InputError naming the part otherwise)."""
        member = self.by_name[name]
        out = bytearray()
        for chunk in self._chunks(fh, member):
            out += chunk
        return out

    def verify(self, fh: BinaryIO, name: str) -> None:
        """Decompress the part to its end without keeping it: its size and checksum verified."""
        for _chunk in self._chunks(fh, self.by_name[name]):
            pass

    def _chunks(self, fh: BinaryIO, member: zipfile.ZipInfo) -> Iterator[bytes]:
        try:
            yield from self._inflate(fh, member)
        except (OSError, ValueError, OverflowError, struct.error) as exc:
            # An offset past the file, a negative one: the directory is damaged.
            raise corrupt(self.path, member.filename) from exc

    def _inflate(self, fh: BinaryIO, member: zipfile.ZipInfo) -> Iterator[bytes]:
        path, name = self.path, member.filename
        if member.flag_bits & _ENCRYPTED:
            raise InputError(f"工作簿的部件已加密（{name}），请先取消加密 / encrypted part: {path}")
        if member.compress_type not in (_STORED, _DEFLATED):
            raise corrupt(path, f"{name}：不支持的压缩方式 {member.compress_type}")
        fh.seek(member.header_offset)
        header = fh.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise corrupt(path, name)
        name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
        fh.seek(member.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
        expected, left = member.file_size, member.compress_size
        inflate = zlib.decompressobj(-15) if member.compress_type == _DEFLATED else None
        produced, crc = 0, 0
        while left > 0:
            raw = fh.read(min(READ_CHUNK, left))
            if not raw:
                raise corrupt(path, name)  # the file ends inside the part
            left -= len(raw)
            if inflate is None:
                data = raw
            else:
                try:
                    # At most one byte past the declared size: enough to know it lies.
                    data = inflate.decompress(raw, expected - produced + 1)
                except zlib.error as exc:
                    raise corrupt(path, name) from exc
                if inflate.unconsumed_tail:
                    raise corrupt(path, f"{name}：解压后超过声明的大小 / expands past its declared size")
            produced += len(data)
            if produced > expected:
                raise corrupt(path, f"{name}：解压后超过声明的大小 / expands past its declared size")
            crc = zlib.crc32(data, crc)
            yield data
        if inflate is not None:
            try:
                tail = inflate.flush()
            except zlib.error as exc:
                raise corrupt(path, name) from exc
            if tail or not inflate.eof:
                raise corrupt(path, name)  # a stream that does not end where the part does
        if produced != expected or crc != member.CRC:
            raise corrupt(path, name)
