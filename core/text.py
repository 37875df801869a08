"""Vietnamese-aware text folding, so that "tieu can", "Tiểu Cần" and "TIỂU CẦN" meet.

Unicode decomposition strips tone and vowel marks, but "đ" is a letter of its own, not "d" with a
mark, so it is mapped explicitly.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, without diacritics (đ → d), single-spaced."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def search_terms(query: str | None) -> list[str]:
    """The folded words of a search box, each of which must match."""
    return [word for word in fold(query).split(" ") if word][:8]


def normalize_name(text: str) -> str:
    """How a typed name is stored: composed Unicode (NFC), single-spaced, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def alphabet_key(text: str) -> str:
    """How a Vietnamese list sorts words: "Đ" after every "D", as in the alphabet; other marks are ignored,
    as a phone book does ("Tài" < "Tọa" < "Tuyên" < "Xác" < "Đánh")."""
    return fold(text.replace("đ", "d~").replace("Đ", "D~"))


def name_sort_key(full_name: str) -> str:
    """How Vietnamese lists sort people: by the given name (the last word), then the whole name, with
    "Đ" after every "D" as in the alphabet: "Nguyễn Văn Tèo" → "teo nguyen van teo", "Đạt" → "d~at".
    Other marks are ignored, as a phone book does."""
    folded = fold(full_name.replace("đ", "d~").replace("Đ", "D~"))
    words = folded.split(" ")
    return f"{words[-1]} {folded}" if words and words[-1] else folded


def fill_folded(model, key: str, *fields: str, batch: int = 2000) -> None:
    """Give the rows of `model` written before its folded copy `key` existed their key: the `fields` joined
    by a space and folded (a migration that adds a `*_key` column runs it)."""
    rows = []
    for row in model.objects.only("pk", *fields).iterator(chunk_size=batch):
        setattr(row, key, fold(" ".join(getattr(row, field) or "" for field in fields)))
        rows.append(row)
        if len(rows) == batch:
            model.objects.bulk_update(rows, [key])
            rows = []
    model.objects.bulk_update(rows, [key])
