"""Name normalisation for duplicate detection."""

import re
import unicodedata

# Titles and honorifics that vary between sources and say nothing about identity.
_GELAR = re.compile(
    r"\b(?:h|hj|hajjah|haji|dr|drs|dra|ir|st|se|sh|spd|skm|amd|sag|sos|ssos|mm|mpd|msi)\b\.?",
    re.IGNORECASE,
)


def normalisasi_nama(nama: str) -> str:
    """'Hj. Siti  Rahmah, S.Pd' and 'SITI RAHMAH' both become 'siti rahmah'."""
    teks = unicodedata.normalize("NFKD", str(nama or "")).encode("ascii", "ignore").decode()
    teks = re.sub(r",.*$", "", teks)  # academic degrees after a comma
    teks = _GELAR.sub(" ", teks.replace(".", ". "))
    teks = re.sub(r"[^a-zA-Z0-9 ]", " ", teks)
    return " ".join(teks.lower().split())
