"""Tests of the psm app. ``berikrar`` marks a PSM as having accepted the current pledge."""


def berikrar(user):
    """Accept the current pledge for ``user`` (the caseload pages are gated until then)."""
    from psm.models import Ikrar, PersetujuanIkrar

    return PersetujuanIkrar.objects.get_or_create(user=user, ikrar=Ikrar.terkini())[0]
