// 适老化 reading settings: three more type sizes and a high-contrast mode, remembered in
// localStorage across pages (an inline script in <head> applies them before painting).
const root = document.documentElement;
const MAX = 3;

function store(key, value) {
  try {
    if (value) localStorage.setItem(key, value); else localStorage.removeItem(key);
  } catch (error) { /* private mode: the setting lasts for this page only */ }
}

function show() {
  const high = root.dataset.portalContrast === "high";
  document.querySelectorAll("button[data-portal-contrast]").forEach((button) => button.setAttribute("aria-pressed", String(high)));
}

document.addEventListener("click", (event) => {
  const size = event.target.closest("button[data-portal-size]");
  const contrast = event.target.closest("button[data-portal-contrast]");
  if (size) {
    const level = Math.min(MAX, Math.max(0, Number(root.dataset.portalSize || 0) + Number(size.dataset.portalSize)));
    root.dataset.portalSize = String(level);
    store("portal-size", level ? String(level) : "");
  } else if (contrast) {
    const high = root.dataset.portalContrast !== "high";
    if (high) root.dataset.portalContrast = "high"; else delete root.dataset.portalContrast;
    store("portal-contrast", high ? "high" : "");
    show();
  }
});
show();
