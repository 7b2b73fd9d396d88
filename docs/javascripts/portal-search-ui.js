// The search results in Material's search panel: result list with title, date, organisation, column
// and an excerpt with the words highlighted, filters by column, organisation and year,
// relevance or date order, keyboard navigation. Loaded on the first search only.
import { Engine } from "./portal-search-engine.js";
import { locate, normalise } from "./portal-search.js";

const PAGE = 10;

function siteBase() {
  const config = JSON.parse(document.querySelector("script#__config").textContent);
  return new URL(`${config.base}/`, location.href);
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Escaped text with every occurrence of the words wrapped in <mark>.
function highlight(text, words, hits = locate(text, words)) {
  let html = "", at = 0;
  for (const [from, to] of hits) {
    html += escapeHtml(text.slice(at, from)) + "<mark>" + escapeHtml(text.slice(from, to)) + "</mark>";
    at = to;
  }
  return html + escapeHtml(text.slice(at));
}

// About 110 characters of the text around the first occurrence, highlighted.
function excerpt(text, words) {
  const hits = locate(text, words);
  const from = Math.max(0, (hits.length ? hits[0][0] : 0) - 30);
  const to = Math.min(text.length, from + 110);
  const inside = hits.filter(([a, b]) => a >= from && b <= to).map(([a, b]) => [a - from, b - from]);
  return (from > 0 ? "…" : "") + highlight(text.slice(from, to), words, inside) + (to < text.length ? "…" : "");
}

// 2026-03-01 -> 2026年3月1日, as every page of the site writes dates.
function chineseDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return `${year}年${month}月${day}日`;
}

function select(label, name, options) {
  const wrap = document.createElement("label");
  wrap.className = "portal-search__filter";
  wrap.append(label);
  const element = document.createElement("select");
  element.name = name;
  for (const [value, text] of options) element.add(new Option(text, value));
  wrap.append(element);
  return wrap;
}

export async function mount(box) {
  const input = box.querySelector("input[name=q]");
  const meta = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".md-search-result__list");
  const filters = box.querySelector(".portal-search__filters");
  const engine = new Engine(new URL("search/", siteBase()));
  let state = { ids: [], words: [], shown: 0 }, ticket = 0;

  try {
    await engine.load();
  } catch (error) {
    meta.textContent = "搜索暂时不可用，请稍后再试。";
    throw error;
  }
  const all = [["-1", "全部"]];
  filters.append(
    select("栏目", "column", [...all, ...engine.meta.columns.map((name, i) => [String(i), name])]),
    select("单位", "organisation", [...all, ...engine.meta.organisations.map((name, i) => [String(i), name])]),
    select("年份", "year", [["0", "全部"], ...engine.yearOptions().map((year) => [String(year), `${year} 年`])]),
    select("排序", "sort", [["relevance", "相关度"], ["date", "最新发布"]]),
  );
  filters.hidden = false;

  async function render(more) {
    const chosen = state.ids.slice(state.shown, state.shown + PAGE);
    const mine = ticket;
    const docs = await Promise.all(chosen.map((id) => engine.doc(id)));
    if (mine !== ticket) return;
    const items = docs.map((doc) => {
      const href = new URL(doc.u, siteBase());
      href.searchParams.set("h", state.words.join(" "));
      const column = engine.meta.columns[doc.c] || "";
      const organisation = engine.meta.organisations[doc.o] || "";
      return `<li class="md-search-result__item"><a href="${escapeHtml(href.href)}" class="md-search-result__link" tabindex="-1">` +
        `<article class="md-search-result__article md-typeset"><h1>${highlight(doc.t, state.words)}</h1>` +
        `<p class="portal-search__meta"><time datetime="${escapeHtml(doc.d)}">${chineseDate(doc.d)}</time> · ${escapeHtml(organisation)} · ${escapeHtml(column)}</p>` +
        `<p>${excerpt(doc.x, state.words)}</p></article></a></li>`;
    }).join("");
    list.insertAdjacentHTML("beforeend", items);
    state.shown += chosen.length;
    list.querySelector(".portal-search__more")?.remove();
    if (state.shown < state.ids.length) {
      list.insertAdjacentHTML("beforeend", `<li class="md-search-result__item portal-search__more"><button type="button" class="md-button">显示更多结果</button></li>`);
    }
    if (more) list.querySelectorAll(".md-search-result__link")[state.shown - chosen.length]?.focus();
  }

  async function run() {
    const mine = ++ticket;
    const query = input.value;
    const options = Object.fromEntries([...filters.querySelectorAll("select")].map((s) => [s.name, s.value]));
    if (!normalise(query)) {
      list.innerHTML = "";
      meta.textContent = "输入关键词搜索全部稿件";
      return;
    }
    const found = await engine.search(query, {
      column: Number(options.column), organisation: Number(options.organisation), year: Number(options.year), sort: options.sort,
    });
    if (mine !== ticket) return;
    state = { ids: found.ids, words: found.words, shown: 0 };
    list.innerHTML = "";
    await render(false);
    if (mine !== ticket) return;
    // The count last: once it shows, so do the first results (what readers and tests wait for).
    meta.textContent = found.ids.length ? `找到 ${found.ids.length} 篇稿件` : `没有找到包含“${query.trim()}”的稿件`;
  }

  let timer;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 120); });
  filters.addEventListener("change", run);
  box.querySelector("form").addEventListener("reset", () => setTimeout(run));
  list.addEventListener("click", (event) => {
    if (event.target.closest(".portal-search__more")) render(true);
  });
  box.addEventListener("keydown", (event) => {
    if (!["ArrowDown", "ArrowUp"].includes(event.key)) return;
    const links = [...list.querySelectorAll(".md-search-result__link, .portal-search__more button")];
    if (!links.length) return;
    event.preventDefault();
    const at = links.indexOf(document.activeElement);
    const next = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
    (next < 0 ? input : links[next]).focus();
  });
  if (input.value) run();
  return { run, engine };
}
