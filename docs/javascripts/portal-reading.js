// 适老化 / 无障碍 reading settings, all in the browser: whole-page type size (the root font
// size, which Material's rem-based layout follows) up to 250 %, high contrast, a large cursor,
// a reading guide (十字线), plain-text mode — each remembered in localStorage across pages (an
// inline script in <head> applies them before painting) — and reading the page aloud with
// the browser's speech synthesis (a zh-CN voice where one is installed).
const root = document.documentElement;
const SIZES = ["100%", "120%", "140%", "170%", "200%"];  // of the default size; portal-reading.css
const TOGGLES = { contrast: "high", cursor: "on", guide: "on", plain: "on" };
const panel = document.getElementById("portal-reading");
const entrance = document.querySelector(".portal-reading__entrance");

function store(key, value) {
  try {
    if (value) localStorage.setItem(`portal-${key}`, value); else localStorage.removeItem(`portal-${key}`);
  } catch (error) { /* private mode: the setting lasts for this page only */ }
}

function set(key, value) {
  if (value) root.setAttribute(`data-portal-${key}`, value); else root.removeAttribute(`data-portal-${key}`);
  store(key, value);
  show();
}

function show() {
  const level = Number(root.getAttribute("data-portal-size") || 0);
  panel.querySelector(".portal-reading__level").textContent = `字号 ${SIZES[level] || SIZES[0]}`;
  // aria-disabled rather than disabled: the button keeps the keyboard focus at either end.
  panel.querySelector('[data-portal-size="-1"]').setAttribute("aria-disabled", String(level <= 0));
  panel.querySelector('[data-portal-size="+1"]').setAttribute("aria-disabled", String(level >= SIZES.length - 1));
  for (const button of panel.querySelectorAll("[data-portal-toggle]")) {
    button.setAttribute("aria-pressed", String(root.hasAttribute(`data-portal-${button.dataset.portalToggle}`)));
  }
  guide.update();
}

function open(state) {
  panel.hidden = !state;
  entrance.setAttribute("aria-expanded", String(state));
  if (state) panel.querySelector("button").focus(); else entrance.focus();
}

// 十字线: a horizontal band and a vertical line that follow the pointer, or the focused element.
const guide = {
  lines: null,
  update() {
    const on = root.hasAttribute("data-portal-guide");
    if (on && !this.lines) {
      this.lines = ["x", "y"].map((axis) => {
        const line = document.createElement("div");
        line.className = `portal-guide portal-guide--${axis}`;
        line.setAttribute("aria-hidden", "true");
        document.body.append(line);
        return line;
      });
    }
    if (this.lines) this.lines.forEach((line) => { line.hidden = !on; });
  },
  move(x, y) {
    if (!this.lines || this.lines[0].hidden) return;
    this.lines[0].style.transform = `translateY(${Math.round(y)}px)`;
    this.lines[1].style.transform = `translateX(${Math.round(x)}px)`;
  },
};
document.addEventListener("pointermove", (event) => guide.move(event.clientX, event.clientY), { passive: true });
document.addEventListener("focusin", (event) => {
  const box = event.target.getBoundingClientRect();
  guide.move(box.left + Math.min(box.width / 2, 40), box.top + box.height / 2);
});

// 朗读: the article (or the page's main text), sentence by sentence (long utterances stall in
// some browsers), with pause and resume.
const speech = window.speechSynthesis;
const speak = panel.querySelector("[data-portal-speak]");
const stop = panel.querySelector("[data-portal-stop]");
let queue = [];

function voice() {
  const voices = speech.getVoices();
  return voices.find((v) => /^zh[-_]CN/i.test(v.lang)) || voices.find((v) => /^zh/i.test(v.lang)) || null;
}

function readable() {
  const main = document.querySelector(".portal-article") || document.querySelector(".md-content");
  const copy = main.cloneNode(true);
  copy.querySelectorAll("script, style, svg, button, .portal-share, .portal-visually-hidden").forEach((node) => node.remove());
  return copy.innerText.split(/(?<=[。！？!?；;\n])/).map((part) => part.trim()).filter(Boolean);
}

function next() {
  const text = queue.shift();
  if (!text) return speaking(false);
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = "zh-CN";
  utterance.voice = voice();
  utterance.rate = 0.9;
  utterance.onend = next;
  utterance.onerror = () => speaking(false);
  speech.speak(utterance);
}

function speaking(on, paused = false) {
  speak.textContent = !on ? "朗读本页" : paused ? "继续朗读" : "暂停朗读";
  speak.setAttribute("aria-pressed", String(on && !paused));
  stop.hidden = !on;
  if (!on) queue = [];
}

if (speech && window.SpeechSynthesisUtterance) {
  speak.hidden = false;
  speak.addEventListener("click", () => {
    if (speech.paused) { speech.resume(); speaking(true); }
    else if (speech.speaking) { speech.pause(); speaking(true, true); }
    else { speech.cancel(); queue = readable(); speaking(true); next(); }
  });
  stop.addEventListener("click", () => { queue = []; speech.cancel(); speaking(false); });
  window.addEventListener("pagehide", () => speech.cancel());
}

panel.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.dataset.portalSize) {
    const level = Math.min(SIZES.length - 1, Math.max(0, Number(root.getAttribute("data-portal-size") || 0) + Number(button.dataset.portalSize)));
    set("size", level ? String(level) : "");
  } else if (button.dataset.portalToggle) {
    const key = button.dataset.portalToggle;
    set(key, root.hasAttribute(`data-portal-${key}`) ? "" : TOGGLES[key]);
  } else if (button.hasAttribute("data-portal-reset")) {
    ["size", ...Object.keys(TOGGLES)].forEach((key) => set(key, ""));
  } else if (button.hasAttribute("data-portal-close")) {
    open(false);
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !panel.hidden && (panel.contains(document.activeElement) || document.activeElement === document.body)) open(false);
});
entrance.addEventListener("click", () => open(panel.hidden));
show();
