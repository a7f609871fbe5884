from bantuan.models.bendera import Bendera
from bantuan.models.penyaluran import Konfirmasi, Penyaluran
from bantuan.models.program import Program

__all__ = ["Bendera", "Konfirmasi", "Penyaluran", "Program"]
