#!/usr/bin/env python3
"""Write the seed corpus of fuzz_gobin: small crafted executables with Go
build info (ELF64 LE inline, ELF64 without a section table, ELF32 BE
pointer form, PE32+ pointer form, PE32 inline, Mach-O 64 with
__go_buildinfo, Mach-O 32 BE pointer form), a non-Go ELF and a text file.
usage: make-gobin-seeds.py CORPUS_DIR"""
import hashlib
import os
import struct
import sys

S0 = b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6"
S1 = b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2"
MODS = (b"path\texample.com/app\nmod\texample.com/app\tv1.2.3\th1:a=\n"
        b"dep\tgithub.com/foo/bar\tv1.2.3\th1:x=\ndep\tgolang.org/x/text\tv0.3.0\n"
        b"=>\tgithub.com/fork/text\tv0.3.1\th1:y=\n\ndep\texample.com/l\tv0.1.0\n"
        b"=>\t../l\t(devel)\t\n\nbuild\t-compiler=gc\n")
MAGIC = b"\xff Go buildinf:"


def uv(n):
    o = b""
    while n >= 0x80:
        o += bytes([n & 0x7f | 0x80])
        n >>= 7
    return o + bytes([n])


def inline(ver=b"go1.21.5", mods=MODS):
    m = S0 + mods + S1 if mods is not None else b""
    return MAGIC + b"\x08\x02" + b"\0" * 16 + uv(len(ver)) + ver + uv(len(m)) + m


def pointer(va, ps, be, ver=b"go1.16.15", mods=MODS):
    e = ">" if be else "<"
    f = e + ("I" if ps == 4 else "Q")
    m = S0 + mods + S1
    h = MAGIC + bytes([ps, 1 if be else 0])
    h += struct.pack(f, va + 0x40) + struct.pack(f, va + 0x40 + 2 * ps)
    h = h.ljust(0x40, b"\0")
    h += struct.pack(f, va + 0x100) + struct.pack(f, len(ver))
    h += struct.pack(f, va + 0x100 + len(ver)) + struct.pack(f, len(m))
    return h.ljust(0x100, b"\0") + ver + m


def place(buf, off, data):
    buf[off:off + len(data)] = data


def elf64(sections=True, bi=None):
    b = bytearray(0x1800)
    place(b, 0, b"\x7fELF\x02\x01\x01")
    place(b, 16, struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x401000, 64,
                             0x1400 if sections else 0, 0, 64, 56, 2, 64,
                             3 if sections else 0, 1 if sections else 0))
    place(b, 64, struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0, 0x1000, 0x1000, 0x1000))
    place(b, 120, struct.pack("<IIQQQQQQ", 1, 6, 0x1000, 0x401000, 0, 0x400, 0x1000, 0x1000))
    place(b, 0x1000, inline() if bi is None else bi)
    if sections:
        place(b, 0x1600, b"\0.shstrtab\0.go.buildinfo\0")
        place(b, 0x1440, struct.pack("<IIQQQQ", 1, 3, 0, 0, 0x1600, 25))
        place(b, 0x1480, struct.pack("<IIQQQQ", 11, 1, 3, 0x401000, 0x1000, 0x300))
    return bytes(b)


def elf32be():
    b = bytearray(0x1400)
    place(b, 0, b"\x7fELF\x01\x02\x01")
    place(b, 16, struct.pack(">HHIIIIIHHHHHH", 2, 8, 1, 0, 52, 0, 0, 52, 32, 2, 40, 0, 0))
    place(b, 52, struct.pack(">IIIIIIII", 1, 0, 0x10000000, 0, 0x1000, 0x1000, 5, 0x1000))
    place(b, 84, struct.pack(">IIIIIIII", 1, 0x1000, 0x10001000, 0, 0x400, 0x400, 6, 0x1000))
    place(b, 0x1000, pointer(0x10001000, 4, True))
    return bytes(b)


def pe(pe64):
    b = bytearray(0xa00)
    place(b, 0, b"MZ")
    place(b, 0x3c, struct.pack("<I", 0x80))
    optsz = 240 if pe64 else 224
    place(b, 0x80, b"PE\0\0" + struct.pack("<HHIIIHH", 0x8664 if pe64 else 0x14c, 2, 0, 0, 0, optsz, 0x22))
    base = 0x140000000 if pe64 else 0x400000
    opt = 0x98
    place(b, opt, struct.pack("<H", 0x20b if pe64 else 0x10b))
    place(b, opt + (24 if pe64 else 28), struct.pack("<Q" if pe64 else "<I", base))
    st = opt + optsz
    place(b, st, b".text\0\0\0" + struct.pack("<IIIIIIHHI", 0x200, 0x1000, 0x200, 0x200, 0, 0, 0, 0, 0x60000020))
    place(b, st + 40, b".data\0\0\0" + struct.pack("<IIIIIIHHI", 0x600, 0x2000, 0x600, 0x400, 0, 0, 0, 0, 0xC0600040))
    place(b, 0x400, pointer(base + 0x2000, 8, False) if pe64 else inline())
    return bytes(b)


def macho64():
    b = bytearray(0x1400)
    cmds = struct.pack("<II16sQQQQIIII", 0x19, 72, b"__PAGEZERO", 0, 0x100000000, 0, 0, 0, 0, 0, 0)
    cmds += struct.pack("<II16sQQQQIIII", 0x19, 72, b"__TEXT", 0x100000000, 0x1000, 0, 0x1000, 5, 5, 0, 0)
    cmds += struct.pack("<II16sQQQQIIII", 0x19, 152, b"__DATA", 0x100001000, 0x1000, 0x1000, 0x400, 3, 3, 1, 0)
    cmds += struct.pack("<16s16sQQIIIIIIII", b"__go_buildinfo", b"__DATA", 0x100001000, 0x300, 0x1000, 4, 0, 0, 0, 0, 0, 0)
    place(b, 0, struct.pack("<IiiIIIII", 0xfeedfacf, 0x1000007, 3, 2, 3, len(cmds), 1, 0) + cmds)
    place(b, 0x1000, inline())
    return bytes(b)


def macho32be():
    b = bytearray(0x1400)
    cmds = struct.pack(">II16sIIIIIIII", 0x1, 56, b"__PAGEZERO", 0, 0x1000, 0, 0, 0, 0, 0, 0)
    cmds += struct.pack(">II16sIIIIIIII", 0x1, 56, b"__TEXT", 0x1000, 0x1000, 0, 0x1000, 5, 5, 0, 0)
    cmds += struct.pack(">II16sIIIIIIII", 0x1, 56, b"__DATA", 0x2000, 0x1000, 0x1000, 0x400, 3, 3, 0, 0)
    place(b, 0, struct.pack(">IiiIIII", 0xfeedface, 18, 0, 2, 3, len(cmds), 1) + cmds)
    place(b, 0x1000, pointer(0x2000, 4, True))
    return bytes(b)


out = os.path.join(sys.argv[1], "fuzz_gobin")
os.makedirs(out, exist_ok=True)
seeds = [elf64(), elf64(False), elf64(True, inline(b"go1.21rc2 X:boringcrypto", None)),
         elf32be(), pe(True), pe(False), macho64(), macho32be(),
         elf64(True, b"\0" * 16), b"#!/bin/sh\necho hi\n", b"MZ"]
for s in seeds:
    with open(os.path.join(out, hashlib.sha1(s).hexdigest()), "wb") as f:
        f.write(s)
