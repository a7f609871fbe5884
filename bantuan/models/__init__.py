from bantuan.models.bendera import Bendera
from bantuan.models.penyaluran import Konfirmasi, Penyaluran
from bantuan.models.program import Program
from bantuan.models.ringkasan import RingkasanBulanan

__all__ = ["Bendera", "Konfirmasi", "Penyaluran", "Program", "RingkasanBulanan"]
