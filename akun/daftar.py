"""The list pattern every page of rows follows: filter form, pagination that stays fast at a million
rows, per-page summaries.

- ``PaginatorDuaArah``: a page past the middle is read from the other end of the ordering
  (``ORDER BY … DESC LIMIT 25 OFFSET k``), so the last page costs what the first does instead of
  an OFFSET over the whole table. The ordering must be total (end in ``id``) and indexed.
- ``HasilBertingkat``: several querysets shown one after the other as one list (prefix matches
  of a name search before the other matches), each sliced in the database.

``akun.mixins.FilterListMixin`` puts them together for list views.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Paginator
from django.db.models import QuerySet


class HasilBertingkat:
    """Querysets shown in turn as one list; enough of the QuerySet API for ``Paginator``.

    Each part keeps its own (indexed) ordering and is sliced in the database. With ``batas``, the
    count stops there (``terpotong`` tells): an exact count of 400,000 people whose name holds
    "ah" costs a scan of the table and buys the user nothing, who narrows the search instead.
    ``reverse()`` turns the whole list around, so ``PaginatorDuaArah`` can serve its last pages
    from the far end (not when the count was capped: the end is then the cap).
    """

    def __init__(self, *bagian: QuerySet, batas: int | None = None):
        self.bagian = bagian
        self.batas = batas
        self.terpotong = False
        self._jumlah: list[int] | None = None

    def _jumlah_per_bagian(self) -> list[int]:
        if self._jumlah is None:
            self._jumlah = []
            total = 0
            for qs in self.bagian:
                if self.batas is None:
                    n = qs.count()
                elif total >= self.batas:
                    n = 0  # the cap is reached: later parts are not shown, so not counted
                else:
                    # COUNT over a LIMIT subquery without ORDER BY: the scan stops at the cap.
                    n = qs.order_by()[: self.batas - total + 1].count()
                    if total + n > self.batas:
                        self.terpotong = True
                        n = self.batas - total
                self._jumlah.append(n)
                total += n
        return self._jumlah

    @property
    def ordered(self) -> bool:
        return not self.terpotong

    def count(self) -> int:
        return sum(self._jumlah_per_bagian())

    def __len__(self) -> int:
        return self.count()

    def reverse(self) -> HasilBertingkat:
        balik = HasilBertingkat(*(qs.reverse() for qs in reversed(self.bagian)), batas=self.batas)
        if self._jumlah is not None:
            balik._jumlah = list(reversed(self._jumlah))
            balik.terpotong = self.terpotong
        return balik

    def __getitem__(self, irisan: slice) -> list:
        if not isinstance(irisan, slice):
            raise TypeError("HasilBertingkat only supports slices")
        mulai, akhir = irisan.start or 0, irisan.stop
        hasil: list = []
        awal_bagian = 0
        for qs, n in zip(self.bagian, self._jumlah_per_bagian(), strict=True):
            dari, sampai = max(mulai - awal_bagian, 0), min(akhir - awal_bagian, n)
            if sampai > dari:
                hasil.extend(qs[dari:sampai])
            awal_bagian += n
            if awal_bagian >= akhir:
                break
        return hasil


class PaginatorDuaArah(Paginator):
    """Django's paginator, reading pages past the middle from the other end of the ordering."""

    def page(self, number):
        number = self.validate_number(number)
        bawah = (number - 1) * self.per_page
        atas = bawah + self.per_page
        if atas + self.orphans >= self.count:
            atas = self.count
        daftar = self.object_list
        # ``self.count`` first: a capped HasilBertingkat knows only after counting that it may not
        # be read from the end.
        if bawah > self.count // 2 and getattr(daftar, "ordered", False) and hasattr(daftar, "reverse"):
            baris: Sequence = list(daftar.reverse()[self.count - atas : self.count - bawah])
            baris = baris[::-1]
        else:
            baris = daftar[bawah:atas]
        return self._get_page(baris, number, self)
