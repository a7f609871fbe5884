"""``manage.py seed_demo``: demo accounts, a realistic registry, then each app's demo data.

The work is in ``penduduk/demo.py`` (accounts, registry, the runner) and in each app's own
``demo.py`` (``ppks/demo.py``: PPKS registrations and cases), called in dependency order.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from penduduk import demo


class Command(BaseCommand):
    help = (
        "Membuat akun demo (admin, staf, pimpinan, psm.<kelurahan>), data registri demo "
        "(keluarga dan penduduk di 47 kelurahan), PPKS dan kasus respons cepat. Aman dijalankan berulang kali: "
        "bagian yang datanya sudah ada tidak dibuat ulang."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=demo.KATA_SANDI_BAWAAN,
            help="Kata sandi semua akun demo (bawaan: %(default)s).",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.SEED_BAWAAN, help="Seed acak; seed sama memberi data sama."
        )
        parser.add_argument(
            "--keluarga",
            type=int,
            default=demo.JUMLAH_KELUARGA_BAWAAN,
            help="Jumlah keluarga yang dibuat (bawaan: %(default)s, sekitar 3,8 jiwa per keluarga).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Hanya buat data demo (registri, PPKS, kasus) bila registri masih kosong; "
            "akun demo selalu dipastikan ada.",
        )

        parser.add_argument(
            "--izinkan-tanpa-debug",
            action="store_true",
            help="Jalankan juga bila DEBUG mati. Hati-hati: kata sandi akun admin, staf, pimpinan dan psm.* "
            "diganti dengan kata sandi demo.",
        )

    def handle(self, *args, password, seed, keluarga, if_empty, izinkan_tanpa_debug, **options):
        if not settings.DEBUG and not izinkan_tanpa_debug:
            # The demo accounts have well-known passwords: never reset them on a production database.
            raise CommandError(
                "seed_demo hanya untuk pengembangan (DEBUG=1). Di server produksi perintah ini akan "
                "mengganti kata sandi akun admin/staf/pimpinan/psm.* dengan kata sandi demo. "
                "Bila memang disengaja, tambahkan --izinkan-tanpa-debug."
            )
        if keluarga < 1:
            raise CommandError("--keluarga harus minimal 1.")
        if not password:
            raise CommandError("--password tidak boleh kosong.")
        konteks = demo.Konteks(seed=seed, jumlah_keluarga=keluarga)
        try:
            laporan = demo.jalankan(konteks, kata_sandi=password, jika_kosong=if_empty, tulis=self.stdout.write)
        except demo.DemoTidakDibuat as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write(demo.tabel_login(laporan.akun, password))
        self.stdout.write(self.style.SUCCESS(f"Selesai dalam {laporan.detik:.1f} detik."))
