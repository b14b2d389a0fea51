"""Rebuild ``french-common-passwords.txt.gz`` from its public sources (see README.md).

    python espace_prive/accounts/passwords/build.py RICHELIEU_TXT ZXCVBN_FR_DIR

RICHELIEU_TXT is ``french_passwords_top1000.txt`` of the Richelieu project; ZXCVBN_FR_DIR
is the unpacked npm package ``@zxcvbn-ts/language-fr`` (``npm pack``, then ``tar xzf``).
Every entry is folded the way the validator folds a password (lower case, no accents);
the output is sorted and gzipped without a timestamp, so a rebuild gives the same bytes.
"""

import gzip
import json
import sys
import unicodedata
from pathlib import Path

OUTPUT = Path(__file__).with_name("french-common-passwords.txt.gz")
# The word lists hold short words ("de", "un"): only words of this length or more are
# worth listing (shorter ones are refused anyway by the minimum length and the rules
# of the validator about what surrounds a word).
MIN_WORD_LENGTH = 4


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of_package(directory):
    src = Path(directory) / "src"
    for name in ("commonWords", "firstnames", "lastnames"):
        yield from json.loads((src / f"{name}.json").read_text(encoding="utf-8"))
    for words in json.loads((src / "wordSequences.json").read_text(encoding="utf-8")).values():
        yield from words


def main(richelieu_txt, zxcvbn_fr_dir):
    entries = set()
    for line in Path(richelieu_txt).read_text(encoding="utf-8").splitlines():
        if line.strip():
            entries.add(fold(line.strip()))
    for word in words_of_package(zxcvbn_fr_dir):
        folded = "".join(c for c in fold(word) if c.isalnum())
        if len(folded) >= MIN_WORD_LENGTH:
            entries.add(folded)
    text = "\n".join(sorted(entries)) + "\n"
    OUTPUT.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{OUTPUT.name}: {len(entries)} entries")


if __name__ == "__main__":
    main(*sys.argv[1:3])
