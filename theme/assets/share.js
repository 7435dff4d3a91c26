// The copy-link and share-sheet buttons of a profile page (theme/partials/share.html): hidden in
// the markup, shown only where the browser can do what they offer.
(() => {
  const bar = document.querySelector(".dh-share");
  if (!bar) return;
  const canonical = document.querySelector('link[rel="canonical"]');
  const url = canonical ? canonical.href : location.href;
  const status = bar.querySelector(".dh-share__status");
  const copy = bar.querySelector("[data-dh-copy]");
  if (navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", () => {
      navigator.clipboard.writeText(url).then(
        () => { status.textContent = "Đã sao chép liên kết."; },
        () => { status.textContent = "Chưa sao chép được; hãy chép địa chỉ trên thanh địa chỉ."; });
    });
  }
  const share = bar.querySelector("[data-dh-share]");
  if (navigator.share) {
    share.hidden = false;
    share.addEventListener("click", () => {
      navigator.share({ title: document.title, url }).catch(() => {});  // the reader closed the sheet
    });
  }
})();
