from akun.permissions import lihat_nik_lengkap
from akun.roles import Peran


def peran(request):
    """The role, and whether it sees NIK, No KK and birth dates whole (``lihat_lengkap``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"peran": None, "Peran": Peran, "lihat_lengkap": False}
    return {"peran": user.peran_efektif, "Peran": Peran, "lihat_lengkap": lihat_nik_lengkap(user)}
