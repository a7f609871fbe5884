from akun.roles import Peran


def peran(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"peran": None, "Peran": Peran}
    return {"peran": user.peran_efektif, "Peran": Peran}
