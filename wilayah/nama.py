"""Name normalisation for wilayah lookups (pure: also used by data migrations)."""

import re
import unicodedata

_PREFIX = re.compile(r"^(?:kelurahan|kel|kecamatan|kec|desa|ds|nagari|kampung|kota|kab)\b\.?\s*", re.IGNORECASE)


def normalisasi_nama_wilayah(nama: str) -> str:
    """Lower case, no accents, no "Kel."/"Kec." prefix, letters and digits only."""
    teks = unicodedata.normalize("NFKD", str(nama or "")).encode("ascii", "ignore").decode()
    teks = teks.strip()
    while True:
        baru = _PREFIX.sub("", teks)
        if baru == teks:
            break
        teks = baru
    return re.sub(r"[^a-z0-9]", "", teks.lower())
