"""The one scoping mechanism: ``Model.objects.for_user(user)``.

Every list, detail, form, export and dashboard query starts from it. A model opts in by using
``ScopedQuerySet.as_manager()`` and naming the lookup path to its kelurahan in
``scope_kelurahan_field``. Out of scope rows are simply absent, so detail views answer 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from akun.models import User


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser | None) -> Self:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.lihat_sekota:
            return self
        ids = user.kelurahan_ids()
        if not ids:
            return self.none()
        lookup = getattr(self.model, "scope_kelurahan_field", "kelurahan")
        return self.filter(**{f"{lookup}__in": ids})
