"""Demo data of this app (filled in by its issue)."""

LANGKAH: list = []
