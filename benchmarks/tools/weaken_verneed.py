#!/usr/bin/env python3
"""Mark one symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK).

TorchSharp's libLibTorchSharp.so is linked against GLIBCXX_3.4.32, but it needs that version only for a
link-time symbol; Debian 12 ships libstdc++ with GLIBCXX_3.4.30, so ld.so refuses to load the library.
A weak version requirement is checked but not enforced, and the library loads.

    weaken_verneed.py FILE VERSION        e.g. weaken_verneed.py libLibTorchSharp.so GLIBCXX_3.4.32

Idempotent: a file whose entry is already weak (or absent) is left untouched. Writes through a temporary file
and an atomic rename, so a build that is interrupted never leaves a half-written library.
"""
import os
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def weaken(path: str, version: bytes) -> int:
    data = bytearray(open(path, 'rb').read())
    if data[:4] != b'\x7fELF' or data[4] != 2 or data[5] != 1:
        raise SystemExit(f"{path}: not a little-endian ELF64 file")
    e_shoff, = struct.unpack_from('<Q', data, 0x28)
    e_shentsize, e_shnum = struct.unpack_from('<HH', data, 0x3A)
    sections = [struct.unpack_from('<IIQQQQIIQQ', data, e_shoff + i * e_shentsize) for i in range(e_shnum)]
    changed = 0
    for (_, sh_type, _, _, sh_offset, _, sh_link, sh_info, _, _) in sections:
        if sh_type != SHT_GNU_VERNEED:
            continue
        strtab = sections[sh_link][4]
        need = sh_offset
        for _ in range(sh_info):                       # one Elf64_Verneed per needed library
            _, vn_cnt, _, vn_aux, vn_next = struct.unpack_from('<HHIII', data, need)
            aux = need + vn_aux
            for _ in range(vn_cnt):                    # one Elf64_Vernaux per version of that library
                _, vna_flags, _, vna_name, vna_next = struct.unpack_from('<IHHII', data, aux)
                name = bytes(data[strtab + vna_name: data.index(0, strtab + vna_name)])
                if name == version and not vna_flags & VER_FLG_WEAK:
                    struct.pack_into('<H', data, aux + 4, vna_flags | VER_FLG_WEAK)
                    changed += 1
                aux += vna_next
            need += vn_next
    if changed:
        tmp = path + '.weaken.tmp'
        with open(tmp, 'wb') as f:
            f.write(data)
        os.chmod(tmp, os.stat(path).st_mode)
        os.replace(tmp, path)
    return changed


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    path, version = argv[1], argv[2].encode()
    n = weaken(path, version)
    print(f"weaken_verneed: {path}: {version.decode()} " + ("marked weak" if n else "already weak or not required"))


if __name__ == '__main__':
    main(sys.argv)
