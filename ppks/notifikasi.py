"""Alerts on cases: a new darurat case, and a case past its response deadline.

``periksa_batas_waktu`` (run by ``manage.py check_deadlines`` from cron, e.g. every 10 minutes)
creates one ``Notifikasi`` per user, case and kind (a unique constraint makes it once, however
often cron runs and however many runs overlap) and e-mails each one once. The same alerts are
listed on the user's home page.

Who is alerted: the case's petugas and PSM. A case nobody is assigned to yet alerts every active
PSM of its kelurahan and every active Staf, so that it cannot fall through.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from akun.models import User
from akun.roles import Peran
from ppks.choices import JenisNotifikasi, Urgensi
from ppks.models import Kasus, Notifikasi, syarat_terlambat

logger = logging.getLogger(__name__)


@dataclass
class HasilPeriksa:
    notifikasi_baru: int = 0
    email_terkirim: int = 0


def penerima(kasus: Kasus, *, staf: list[User], psm_per_kelurahan: dict[int, list[User]]) -> set[User]:
    orang = {u for u in (kasus.petugas, kasus.psm) if u is not None and u.is_active}
    if kasus.petugas is None:
        orang.update(staf)
    if kasus.psm is None:
        orang.update(psm_per_kelurahan.get(kasus.kelurahan_id, []))
    return orang


def _calon(sekarang) -> list[tuple[Kasus, str]]:
    kasus = (
        Kasus.objects.terbuka()
        .filter(Q(urgensi=Urgensi.DARURAT) | syarat_terlambat(sekarang))
        .select_related("petugas", "psm", "kelurahan")
        .order_by("batas_respons", "id")
    )
    hasil = []
    for k in kasus:
        if k.urgensi == Urgensi.DARURAT:
            hasil.append((k, JenisNotifikasi.DARURAT))
        if k.direspons_pada is None and k.batas_respons < sekarang:
            hasil.append((k, JenisNotifikasi.TERLAMBAT))
    return hasil


def buat_notifikasi(sekarang=None) -> int:
    """Create the alerts that are due; existing ones are left alone. Returns how many are new."""
    sekarang = sekarang or timezone.now()
    calon = _calon(sekarang)
    if not calon:
        return 0
    staf = list(User.objects.filter(peran=Peran.STAF, is_active=True))
    kelurahan_ids = {k.kelurahan_id for k, _jenis in calon}
    psm_per_kelurahan: dict[int, list[User]] = {}
    for psm in User.objects.filter(peran=Peran.PSM, is_active=True, kelurahan__in=kelurahan_ids).distinct():
        for kid in psm.kelurahan_ids():
            psm_per_kelurahan.setdefault(kid, []).append(psm)
    baris = [
        Notifikasi(pengguna=u, kasus=k, jenis=jenis, dibuat_pada=sekarang)
        for k, jenis in calon
        for u in penerima(k, staf=staf, psm_per_kelurahan=psm_per_kelurahan)
    ]
    sebelum = Notifikasi.objects.count()
    Notifikasi.objects.bulk_create(baris, ignore_conflicts=True, batch_size=500)
    return Notifikasi.objects.count() - sebelum


def kirim_email(sekarang=None) -> int:
    """E-mail every alert not e-mailed yet to users with an address; each one once.

    Each alert is claimed (``SKIP LOCKED`` on PostgreSQL, so overlapping cron runs never send one
    twice) and marked sent in its own transaction; an address the mail server refuses is logged
    and skipped, and does not stop or roll back the others.
    """
    sekarang = sekarang or timezone.now()
    terkirim = 0
    ids = list(
        Notifikasi.objects.filter(email_terkirim_pada__isnull=True)
        .exclude(pengguna__email="")
        .order_by("id")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            n = (
                Notifikasi.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, email_terkirim_pada__isnull=True)
                .select_related("pengguna", "kasus__kelurahan")
                .first()
            )
            if n is None:
                continue  # another run has it
            try:
                _kirim(n)
            except (OSError, smtplib.SMTPException) as exc:
                logger.warning("Alert %s not e-mailed to user %s: %s", n.pk, n.pengguna_id, exc)
                continue
            n.email_terkirim_pada = sekarang
            n.save(update_fields=["email_terkirim_pada"])
            terkirim += 1
    return terkirim


def _kirim(n: Notifikasi) -> None:
    judul = (
        _("[DARURAT] Kasus %(nomor)s di %(kel)s")
        if n.jenis == JenisNotifikasi.DARURAT
        else _("[TERLAMBAT] Kasus %(nomor)s di %(kel)s melewati batas waktu")
    ) % {"nomor": n.kasus.nomor, "kel": n.kasus.kelurahan.nama}
    isi = render_to_string(
        "ppks/email_notifikasi.txt",
        {"n": n, "kasus": n.kasus, "tautan": settings.SITE_URL + n.kasus.get_absolute_url()},
    )
    send_mail(judul, isi, None, [n.pengguna.email])


def periksa_batas_waktu(sekarang=None) -> HasilPeriksa:
    return HasilPeriksa(notifikasi_baru=buat_notifikasi(sekarang), email_terkirim=kirim_email(sekarang))
