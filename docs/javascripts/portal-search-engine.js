// The search engine: exact substring search over the character-n-gram index that
// hooks/portal/search.py writes to search/. normalise, fnv1a and the varint layout
// must stay as they are there; normalise is portal-search.js's (loaded by every page).
import { normalise } from "./portal-search.js";

function fnv1a(gram) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < gram.length; i++) hash = Math.imul(hash ^ gram.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

// A zlib stream (RFC 1950) inflated: by the browser where it can (DecompressionStream: Chrome 80,
// Safari 16.4, Firefox 113), else by fflate (vendor/fflate.js), which only those browsers download.
export async function inflate(bytes) {
  if (typeof DecompressionStream !== "function") return (await import("./vendor/fflate.js")).unzlibSync(bytes);
  const stream = new Response(bytes).body.pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

class Reader {
  constructor(bytes, at = 0) { this.bytes = bytes; this.at = at; }
  get done() { return this.at >= this.bytes.length; }
  next() {
    let value = 0, scale = 1, byte;
    do { byte = this.bytes[this.at++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80);
    return value;
  }
}

export class Engine {
  constructor(base) {
    this.base = base;
    this.shards = new Map();
    this.docs = new Map();
  }

  async fetch(path, kind) {
    const response = await fetch(new URL(path, this.base));
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    if (kind === "json") return response.json();
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (kind === "raw") return bytes;
    // Item and shard files are deflated (hooks/portal/search.py, pack); result texts are JSON in UTF-16
    // (TEXT_ENCODING): two bytes a Chinese character.
    const data = await inflate(bytes);
    return kind === "utf-16" ? JSON.parse(new TextDecoder("utf-16le").decode(data)) : data;
  }

  async load() {
    if (this.meta) return this;
    const [meta, table] = await Promise.all([this.fetch("meta.json", "json"), this.fetch("docs.bin", "raw")]);
    const n = meta.docs;
    this.titleLength = new Uint16Array(n);
    this.column = new Uint16Array(n);
    this.organisation = new Uint16Array(n);
    this.kind = new Uint8Array(n);
    const reader = new Reader(table);
    for (let id = 0; id < n; id++) {
      this.titleLength[id] = reader.next();
      this.column[id] = reader.next();
      this.organisation[id] = reader.next();
      this.kind[id] = reader.next();
    }
    this.meta = meta;
    return this;
  }

  shard(path) {
    if (!this.shards.has(path)) this.shards.set(path, this.fetch(path));
    return this.shards.get(path);
  }

  // Postings of one gram: Map id -> positions (bigrams) or id -> null (single characters).
  async postings(gram) {
    const folder = gram.length === 1 || [...gram].length === 1 ? "u" : "g";
    const bytes = await this.shard(`${folder}/${fnv1a(gram) % this.meta.shards[folder]}.bin`);
    const reader = new Reader(bytes);
    while (!reader.done) {
      const length = reader.next();
      let key = "";
      for (let i = 0; i < length; i++) key += String.fromCodePoint(reader.next());
      const count = reader.next();
      const size = reader.next();
      if (key !== gram) { reader.at += size; continue; }
      const found = new Map();
      const list = new Reader(bytes.subarray(reader.at, reader.at + size));
      let id = -1;
      for (let i = 0; i < count; i++) {
        if (length === 1) { id += list.next() + 1; found.set(id, null); continue; }
        // A bigram's gap carries in its lowest bit whether the item has it once (then no count follows).
        const head = list.next();
        id += Math.floor(head / 2) + 1;
        const positions = new Array(head % 2 ? 1 : list.next());
        let position = -1;
        for (let j = 0; j < positions.length; j++) positions[j] = position += list.next() + 1;
        found.set(id, positions);
      }
      return found;
    }
    return new Map();
  }

  // Items containing `word` verbatim: Map id -> {count, title, starts} (starts: where it
  // begins in the item's text; unknown for single characters).
  async word(word) {
    const chars = [...word];
    const found = new Map();
    if (chars.length === 1) {
      for (const id of (await this.postings(word)).keys()) found.set(id, { count: 1, title: false });
      return found;
    }
    const offsets = [];
    for (let o = 0; o < chars.length - 1; o += 2) offsets.push(o);
    if (offsets[offsets.length - 1] !== chars.length - 2) offsets.push(chars.length - 2);
    const lists = await Promise.all(offsets.map((o) => this.postings(chars[o] + chars[o + 1])));
    const others = lists.slice(1).map((list, k) => [list, offsets[k + 1]]);
    for (const [id, starts] of lists[0]) {
      const rest = others.map(([list, offset]) => [list.get(id), offset]);
      if (rest.some(([positions]) => !positions)) continue;
      const sets = rest.map(([positions, offset]) => [new Set(positions), offset]);
      const matches = starts.filter((start) => sets.every(([set, offset]) => set.has(start + offset)));
      if (matches.length) {
        found.set(id, { count: matches.length, title: matches.some((s) => s + chars.length < this.titleLength[id]), starts: matches });
      }
    }
    return found;
  }

  // {ids, total} for a query: every space-separated word must occur. Ranking: the words
  // as one phrase, then all words in the title, then how often they occur; newer first on
  // ties. sort = "date" orders by date alone.
  async search(query, { column = -1, organisation = -1, year = 0, sort = "relevance" } = {}) {
    await this.load();
    const words = [...new Set(normalise(query).split(" ").filter(Boolean))];
    if (!words.length) return { words, ids: [] };
    const inOrder = await Promise.all(words.map((w) => this.word(w)));
    const lengths = words.map((w) => [...w].length);
    // The words as one phrase: each begins where the one before ends.
    const phrase = (id) => inOrder.length === 1 || (inOrder[0].get(id).starts || []).some((start) => {
      let at = start;
      return inOrder.slice(1).every((map, k) => (at += lengths[k], (map.get(id).starts || []).includes(at)));
    });
    const maps = [...inOrder];
    const range = year ? this.meta.years.find((y) => y[0] === year) : null;
    // A review published in 2026 about 2025 is found under both years.
    const reviewed = new Set(year ? ((this.meta.reviewed || []).find((y) => y[0] === year) || [0, []])[1] : []);
    const scored = [];
    maps.sort((a, b) => a.size - b.size);
    for (const [id, first] of maps[0]) {
      if (column >= 0 && this.column[id] !== column) continue;
      if (organisation >= 0 && this.organisation[id] !== organisation) continue;
      if (year && (!range || id < range[1] || id > range[2]) && !reviewed.has(id)) continue;
      let count = first.count, title = first.title, all = true;
      for (const map of maps.slice(1)) {
        const hit = map.get(id);
        if (!hit) { all = false; break; }
        count += hit.count;
        title = title && hit.title;
      }
      if (!all) continue;
      const score = (phrase(id) ? 4096 : 0) + (title ? 1024 : 0) + Math.min(count, 1000);
      scored.push([id, score]);
    }
    scored.sort(sort === "date" ? (a, b) => a[0] - b[0] : (a, b) => b[1] - a[1] || a[0] - b[0]);
    return { words, ids: scored.map(([id]) => id) };
  }

  // Every year a reader may filter by, newest first: publication years and reviewed years.
  yearOptions() {
    const years = new Set([...this.meta.years.map(([y]) => y), ...(this.meta.reviewed || []).map(([y]) => y)]);
    return [...years].sort((a, b) => b - a);
  }

  doc(id) {
    // Result texts of consecutive ids share a file (meta.texts of them: hooks/portal/search.py).
    const per = this.meta.texts || 1;
    const file = Math.floor(id / per);
    if (!this.docs.has(file)) this.docs.set(file, this.fetch(`t/${file}.bin`, "utf-16"));
    return this.docs.get(file).then((texts) => texts[id % per]);
  }
}
