#!/usr/bin/python3
"""Regenerates the studio's CJK web font: Noto Sans CJK SC cut down to the characters its pages show.

The studio's Chinese interface must render on machines with no CJK system font, so it ships its
own font, limited to exactly the non-ASCII characters of its pages (i18n.js and index.html) plus
printable ASCII: about 50 KB instead of 16 MB. Run it after changing any interface string:

    apt-get install -y fonts-noto-cjk python3-fonttools python3-brotli
    /usr/bin/python3 tools/studio-font/subset-cjk-font.py

It writes, next to the pages, noto-sans-sc-subset.woff2 and noto-sans-sc-subset.chars: the
characters the font really covers (read back from its cmap) and the font's SHA-256, which
StudioFontTest compares with i18n.js and the font, so the two cannot drift apart silently.
Noto Sans CJK is under the SIL Open Font License 1.1 (OFL.txt beside the font).
"""
import hashlib
import io
import pathlib
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = pathlib.Path(__file__).resolve().parents[2]
WEB = ROOT / "server/src/main/resources/org/gpt4j/server/studio/web"
SOURCE = pathlib.Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FONT_NUMBER = 2  # Noto Sans CJK SC in Debian's fonts-noto-cjk collection
PAGES = ["i18n.js", "index.html"]
OUT = WEB / "noto-sans-sc-subset.woff2"
CHARS = WEB / "noto-sans-sc-subset.chars"


def wanted() -> str:
    text = "".join((WEB / p).read_text(encoding="utf-8") for p in PAGES)
    ascii_printable = "".join(chr(c) for c in range(0x20, 0x7F))
    return "".join(sorted(set(ascii_printable) | {c for c in text if ord(c) > 0x7F and c.isprintable()}))


def main() -> int:
    if not SOURCE.is_file():
        print(f"error: {SOURCE} is missing: apt-get install -y fonts-noto-cjk", file=sys.stderr)
        return 1
    chars = wanted()
    options = subset.Options()
    options.flavor = "woff2"
    options.font_number = FONT_NUMBER
    options.layout_features = ["kern", "liga", "palt"]  # no vertical or other alternates: glyphs never shown
    options.hinting = False
    options.name_IDs = ["*"]  # keep the copyright, licence and trademark notices
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True  # smaller after Brotli (49 vs 52 KB)
    font = subset.load_font(str(SOURCE), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = buffer.getvalue()
    covered = sorted(TTFont(io.BytesIO(data)).getBestCmap())
    missing = [c for c in chars if ord(c) not in covered]
    OUT.write_bytes(data)
    lines = [
        "# Characters covered by noto-sans-sc-subset.woff2 (from its cmap), one per line: code point, character.",
        "# Written by tools/studio-font/subset-cjk-font.py; StudioFontTest checks it against i18n.js and the font.",
        f"# sha256 {hashlib.sha256(data).hexdigest()}",
    ]
    lines += [f"U+{c:04X} {chr(c)}" for c in covered if c > 0x7F]
    CHARS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(data)} bytes, {len(covered)} characters"
          + (f"; not in Noto Sans CJK SC (left to other fonts): {''.join(missing)}" if missing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
