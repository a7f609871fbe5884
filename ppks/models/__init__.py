"""PPKS registry (jenis, registrations) and rapid-response cases (kasus, actions, referrals)."""

from ppks.models.jenis import JenisPPKS
from ppks.models.kasus import Kasus, Notifikasi, Rujukan, Tindakan, syarat_terlambat
from ppks.models.ppks import PPKS

__all__ = ["PPKS", "JenisPPKS", "Kasus", "Notifikasi", "Rujukan", "Tindakan", "syarat_terlambat"]
