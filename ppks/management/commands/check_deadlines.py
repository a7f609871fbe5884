"""``manage.py check_deadlines``: alert on darurat and overdue cases (run from cron)."""

from django.core.management.base import BaseCommand

from ppks.notifikasi import periksa_batas_waktu


class Command(BaseCommand):
    help = (
        "Membuat notifikasi untuk kasus darurat dan kasus yang melewati batas waktu respons, lalu "
        "mengirim e-mail sekali per notifikasi. Jalankan berkala dari cron, mis. tiap 10 menit."
    )

    def handle(self, *args, **options):
        hasil = periksa_batas_waktu()
        self.stdout.write(f"Notifikasi baru: {hasil.notifikasi_baru}; e-mail terkirim: {hasil.email_terkirim}.")
