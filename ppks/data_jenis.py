"""The 26 jenis PPKS of Permensos No. 08 Tahun 2012 (lampiran), as loaded by migration 0002.

(nomor, nama, singkatan, kelompok, sensitif, nama lain). Sensitive (UU PDP 27/2022): HIV status,
a child's criminal case (ABH), victims of violence, trafficking and NAPZA, sex work, and a past
prison term; Pimpinan sees them only as counts.
"""

JENIS_PPKS = [
    (1, "Anak Balita Telantar", "ABT", "anak", False, ["Anak Balita Terlantar", "Balita Telantar", "Balita Terlantar"]),
    (2, "Anak Telantar", "AT", "anak", False, ["Anak Terlantar"]),
    (3, "Anak yang Berhadapan dengan Hukum", "ABH", "anak", True,
     ["Anak Berhadapan dengan Hukum", "Anak Berhadapan Hukum"]),
    (4, "Anak Jalanan", "AJ", "anak", False, ["Anjal"]),
    (5, "Anak dengan Kedisabilitasan", "ADK", "anak", False,
     ["Anak Disabilitas", "Anak Penyandang Disabilitas", "Anak Cacat"]),
    (6, "Anak yang Menjadi Korban Tindak Kekerasan atau Diperlakukan Salah", "AKTK", "anak", True,
     ["Anak Korban Tindak Kekerasan", "Anak Korban Kekerasan", "Anak yang Diperlakukan Salah"]),
    (7, "Anak yang Memerlukan Perlindungan Khusus", "AMPK", "anak", False, ["Anak Memerlukan Perlindungan Khusus"]),
    (8, "Lanjut Usia Telantar", "LUT", "lanjut_usia", False,
     ["Lanjut Usia Terlantar", "Lansia Telantar", "Lansia Terlantar", "Lansia"]),
    (9, "Penyandang Disabilitas", "PD", "disabilitas", False, ["Penyandang Cacat", "Disabilitas", "Difabel"]),
    (10, "Tuna Susila", "TS", "tuna_sosial", True, ["Wanita Tuna Susila", "WTS", "PSK"]),
    (11, "Gelandangan", "GEL", "tuna_sosial", False, ["Gepeng"]),
    (12, "Pengemis", "PENG", "tuna_sosial", False, ["Gepeng"]),
    (13, "Pemulung", "PEM", "tuna_sosial", False, []),
    (14, "Kelompok Minoritas", "KM", "lainnya", False, []),
    (15, "Bekas Warga Binaan Lembaga Pemasyarakatan", "BWBLP", "tuna_sosial", True,
     ["Bekas Warga Binaan Pemasyarakatan", "Mantan Narapidana", "Eks Napi", "Mantan Napi"]),
    (16, "Orang dengan HIV/AIDS", "ODHA", "lainnya", True, ["HIV/AIDS", "Orang dengan HIV AIDS"]),
    (17, "Korban Penyalahgunaan NAPZA", "NAPZA", "korban", True,
     ["Korban NAPZA", "Korban Narkoba", "Korban Penyalahgunaan Narkoba"]),
    (18, "Korban Trafficking", "KTR", "korban", True, ["Korban Perdagangan Orang", "Trafficking", "TPPO"]),
    (19, "Korban Tindak Kekerasan", "KTK", "korban", True, ["Korban Kekerasan"]),
    (20, "Pekerja Migran Bermasalah Sosial", "PMBS", "lainnya", False, ["Pekerja Migran Bermasalah", "TKI Bermasalah"]),
    (21, "Korban Bencana Alam", "KBA", "korban", False, []),
    (22, "Korban Bencana Sosial", "KBS", "korban", False, []),
    (23, "Perempuan Rawan Sosial Ekonomi", "PRSE", "kemiskinan", False, ["Wanita Rawan Sosial Ekonomi", "WRSE"]),
    (24, "Fakir Miskin", "FM", "kemiskinan", False, ["Keluarga Fakir Miskin"]),
    (25, "Keluarga Bermasalah Sosial Psikologis", "KBSP", "lainnya", False, []),
    (26, "Komunitas Adat Terpencil", "KAT", "lainnya", False, []),
]  # fmt: skip
