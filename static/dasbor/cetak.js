// The report's print button (no inline handlers: the CSP allows scripts from static files only).
document.querySelectorAll("[data-cetak]").forEach((tombol) => {
  tombol.addEventListener("click", () => window.print());
});
