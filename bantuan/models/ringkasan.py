"""Distributed aid per month, programme and kelurahan: a summary kept exact by the database.

The dashboard's chart of assistance per programme per month summed every distribution of twelve
months (165,000 rows at a million persons: ~28 ms, the page's largest query). This table holds the
same sums, at most 47 × programmes rows a month, maintained by triggers on ``Penyaluran``
(``bantuan/ringkasan_sql.py``) for every write path: services, admin, import, ``QuerySet.update()``,
raw SQL. A distribution counts while its status is *disalurkan* or *dikonfirmasi*
(``Penyaluran.objects.tersalur()``), in the month of its ``tanggal`` and its own ``kelurahan``.
Rows whose count fell back to zero stay (they sum to nothing). Never written by the app;
``tests/bantuan/test_ringkasan.py`` compares it with a live aggregate after every kind of write.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from akun.scoping import ScopedQuerySet


class RingkasanBulanan(models.Model):
    bulan = models.DateField(_("bulan (tanggal 1)"))
    program = models.ForeignKey(
        "bantuan.Program", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("program")
    )
    kelurahan = models.ForeignKey(
        "wilayah.Kelurahan",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("kelurahan"),
    )
    jumlah = models.IntegerField(_("jumlah penyaluran"), default=0)
    rupiah = models.BigIntegerField(_("nilai (rupiah)"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_kelurahan_field = "kelurahan"

    class Meta:
        verbose_name = _("ringkasan penyaluran bulanan")
        verbose_name_plural = _("ringkasan penyaluran bulanan")
        constraints = [
            models.UniqueConstraint(fields=["bulan", "program", "kelurahan"], name="ringkasan_bulanan_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.bulan:%m/%Y} · {self.program_id} · {self.kelurahan_id}: {self.jumlah}"
