// The search box in the header (overrides/partials/portal/search.html): opens and
// closes it, keyboard shortcuts, and highlighting of the searched words on the page a
// result leads to. The index and the engine are fetched only when a reader searches.
const toggle = document.querySelector("input#__search");
const box = document.querySelector("[data-portal-search]");
const input = box && box.querySelector("input[name=q]");
let ui = null;

function start() {
  ui = ui || import(new URL("portal-search-ui.js", import.meta.url)).then((module) => module.mount(box));
  return ui;
}

function open() {
  if (!toggle.checked) toggle.click();
  input.focus();
  start();
}

if (box) {
  toggle.addEventListener("change", () => {
    if (toggle.checked) { input.focus(); start(); } else { input.blur(); }
  });
  input.addEventListener("focus", () => { if (!toggle.checked) toggle.click(); start(); });
  box.querySelector("form").addEventListener("submit", (event) => event.preventDefault());
  document.addEventListener("keydown", (event) => {
    const typing = /^(input|textarea|select)$/i.test(event.target.tagName) || event.target.isContentEditable;
    if (toggle.checked && event.key === "Escape") {
      event.preventDefault();
      toggle.click();
    } else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && ["/", "s", "S", "f", "F"].includes(event.key)) {
      event.preventDefault();
      open();
    }
  });
}

// Search text normalisation as in hooks/portal/search.py (cases: tests/data/search_normalisation.json).
const ZERO_WIDTH = /[\u00ad\u034f\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufe00-\ufe0f\ufeff\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;
const SPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
const folds = new Map();
export function fold(char) {
  let folded = folds.get(char);
  if (folded === undefined) folds.set(char, folded = char.normalize("NFKC").replace(ZERO_WIDTH, "").toLowerCase());
  return folded;
}
export function normalise(text) {
  let out = "";
  for (const char of text) out += fold(char);
  return out.replace(SPACE, " ").replace(/^ | $/g, "");
}

// Where the (normalised) words occur in `text` as written: [[from, to], …] in order, not
// overlapping; `text` folded as the index folds it.
export function locate(text, words) {
  let folded = "";
  const from = [], to = [];
  let at = 0;
  for (const char of text) {
    const normal = fold(char);
    for (let k = 0; k < normal.length; k++) { from.push(at); to.push(at + char.length); }
    folded += normal;
    at += char.length;
  }
  const hits = [];
  for (const word of words) {
    for (let i = folded.indexOf(word); i >= 0; i = folded.indexOf(word, i + word.length)) hits.push([from[i], to[i + word.length - 1]]);
  }
  hits.sort((a, b) => a[0] - b[0]);
  return hits.filter((hit, i) => i === 0 || hit[0] >= hits[i - 1][1]);
}

// Highlight the searched words on a page reached from a result (?h=…).
const words = normalise(new URLSearchParams(location.search).get("h") || "").split(" ").filter(Boolean);
const article = document.querySelector(".md-content");
if (words.length && article) {
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const hits = locate(node.data, words);
    if (!hits.length || node.parentElement.closest("script, style, mark")) continue;
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const [from, to] of hits) {
      const mark = document.createElement("mark");
      mark.textContent = node.data.slice(from, to);
      fragment.append(node.data.slice(at, from), mark);
      at = to;
    }
    fragment.append(node.data.slice(at));
    node.replaceWith(fragment);
  }
  const first = article.querySelector("mark");
  if (first && !location.hash) first.scrollIntoView({ block: "center" });
}
