"""Label names: split multi-label strings and fold alias spellings into one label."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from linernotes.text import name_key

# Spellings that stand for one label; keys are compared with label_key().
BUILTIN_ALIASES: dict[str, str] = {
    "universal records": "Universal Music",
    "universal music": "Universal Music",
    "universal music group": "Universal Music",
    "umg recordings": "Universal Music",
    "sony music entertainment": "Sony Music",
    "sony music": "Sony Music",
    "warner music group": "Warner Music",
    "warner records": "Warner Records",
    "warner bros": "Warner Records",
    "atlantic recording corporation": "Atlantic Records",
    "atlantic": "Atlantic Records",
    "umg": "Universal Music",
    "universal music group international": "Universal Music",
    "sony music entertainment international": "Sony Music",
    "sony bmg music entertainment": "Sony Music",
    "columbia": "Columbia Records",
    "rca": "RCA Records",
    "interscope": "Interscope Records",
    "emi": "EMI",
    "emi music": "EMI",
}
_SUFFIXES = {
    "llc",
    "ltd",
    "inc",
    "limited",
    "gmbh",
    "corp",
    "corporation",
    "co",
    "sl",
    "sa",
    "bv",
    "ab",
    "oy",
    "kk",
    "records",
    "record",
    "recordings",
    "rec",
    "recs",
    "label",
}
_AND = re.compile(r"\s*[&+]\s*")
_SPLIT = re.compile(r"\s*/\s*|\s*;\s*|,\s+")


def label_key(name: str) -> str:
    """Return the folding key of a label name: case, punctuation and company suffixes gone,
    "&" and "+" read as "and" ("Harbor & Pine Music" is "Harbor and Pine Music")."""
    words = name_key(_AND.sub(" and ", name.replace(".", ""))).split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return " ".join(words)


def split_label(raw: str) -> list[str]:
    """Split "A, B" and "A/B" into labels, keeping "X, Inc." and "S.L." whole."""
    parts: list[str] = []
    for part in _SPLIT.split(raw.strip()):
        part = part.strip()
        if not part:
            continue
        if parts and label_key(part) in _SUFFIXES | {""}:
            parts[-1] = f"{parts[-1]}, {part}"
        else:
            parts.append(part)
    return parts


class LabelFolder:
    """Maps every raw label string of the library to canonical label names."""

    def __init__(self, raw_names: Iterable[str], aliases: Mapping[str, str] | None = None) -> None:
        table = {label_key(k): v for k, v in BUILTIN_ALIASES.items()}
        table.update({label_key(k): v for k, v in (aliases or {}).items()})
        self._alias = table
        spellings: dict[str, Counter[str]] = {}
        for raw in raw_names:
            for part in split_label(raw):
                spellings.setdefault(self._key(part), Counter())[part] += 1
        self.spellings = spellings
        self._display = {key: self._choose(key, names) for key, names in spellings.items()}

    def _key(self, part: str) -> str:
        key = label_key(part)
        target = self._alias.get(key)
        return label_key(target) if target else key

    def _choose(self, key: str, names: Counter[str]) -> str:
        for alias_key, target in self._alias.items():
            if label_key(target) == key and alias_key in {label_key(n) for n in names}:
                return target
        return min(names, key=lambda n: (-names[n], n.isupper(), len(n), n))

    def fold(self, raw: str) -> list[str]:
        """Return the canonical labels of one raw label string, in order, no repeats."""
        out: list[str] = []
        for part in split_label(raw):
            key = self._key(part)
            name = self._display.get(key, part)
            if name not in out:
                out.append(name)
        return out

    def aliases_of(self, name: str) -> list[str]:
        """Return the other spellings folded into the label ``name``, sorted."""
        key = self._key(name)
        return sorted(n for n in self.spellings.get(key, {}) if n != name)
