// The holdings table's everyday controls: sort by value, amount or name (buttons in the column
// headers, with aria-sort), a filter box, hiding zero and dust balances (the threshold kept in
// localStorage), and grouping one asset across chains. Also the allocation bars per asset and
// per chain, drawn as small SVG bars.

import { h } from "./dom.js";
import { chainName, formatUnits } from "./format.js";
import { formatMicros, parseUsd, share } from "./money.js";

const DUST_KEY = "portfolio-dust-usd";
const HIDE_KEY = "portfolio-hide-dust";
const GROUP_KEY = "portfolio-group-chains";
const DEFAULT_DUST = "1";
/** Bars shown per allocation list; the rest are summed as "Other". */
const BARS = 6;
const SVG = "http://www.w3.org/2000/svg";

function stored(key, fallback) {
  try {
    return localStorage.getItem(key) ?? fallback;
  } catch {
    return fallback;
  }
}

function store(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode: the setting lasts for this page only.
  }
}

export class HoldingsControls extends EventTarget {
  constructor() {
    super();
    this.filterInput = document.getElementById("holdings-filter");
    this.groupSwitch = document.getElementById("holdings-group");
    this.hideSwitch = document.getElementById("holdings-hide-dust");
    this.dustInput = document.getElementById("dust-threshold");
    this.sortButtons = [...document.querySelectorAll("#breakdown button.sort")];
    this.sort = { key: "value", descending: true };
    this.groupSwitch.checked = stored(GROUP_KEY, "false") === "true";
    this.hideSwitch.checked = stored(HIDE_KEY, "true") === "true";
    this.dustInput.value = stored(DUST_KEY, DEFAULT_DUST);
    const changed = () => this.dispatchEvent(new Event("change"));
    this.filterInput.addEventListener("input", changed);
    this.groupSwitch.addEventListener("change", () => {
      store(GROUP_KEY, String(this.groupSwitch.checked));
      changed();
    });
    this.hideSwitch.addEventListener("change", () => {
      store(HIDE_KEY, String(this.hideSwitch.checked));
      changed();
    });
    this.dustInput.addEventListener("input", () => {
      if (this.dustMicros() === null) {
        this.dustInput.setAttribute("aria-invalid", "true");
        return;
      }
      this.dustInput.removeAttribute("aria-invalid");
      store(DUST_KEY, this.dustInput.value.trim() || "0");
      changed();
    });
    for (const button of this.sortButtons) {
      button.addEventListener("click", () => {
        const key = button.dataset.sort;
        this.sort = this.sort.key === key
          ? { key, descending: !this.sort.descending }
          : { key, descending: key !== "name" };
        changed();
      });
    }
    this.showSort();
  }

  /** The dust threshold in micro-dollars; null when the box holds no amount. */
  dustMicros() {
    const text = this.dustInput.value.trim();
    if (text === "") return 0n;
    return parseUsd(text.replace(/^\$/, ""));
  }

  showSort() {
    for (const button of this.sortButtons) {
      const active = button.dataset.sort === this.sort.key;
      button.closest("th").setAttribute("aria-sort", active ? (this.sort.descending ? "descending" : "ascending") : "none");
      button.dataset.direction = active ? (this.sort.descending ? "down" : "up") : "";
    }
  }

  /** The rows to show, in order, and how many were hidden as zero or dust. */
  apply(totals, priced) {
    this.showSort();
    let rows = this.groupSwitch.checked ? groupAcrossChains(totals) : totals.map((t) => ({ ...t, chains: [t.chain] }));
    const needle = this.filterInput.value.trim().toLowerCase();
    if (needle) {
      rows = rows.filter((r) => [r.asset, r.token ?? "", ...r.chains, ...r.chains.map(chainName)]
        .some((text) => text.toLowerCase().includes(needle)));
    }
    let hidden = 0;
    if (this.hideSwitch.checked) {
      const dust = this.dustMicros() ?? 0n;
      const kept = rows.filter((r) => r.raw > 0n && !(priced && r.usd !== null && r.usd < dust));
      hidden = rows.length - kept.length;
      rows = kept;
    }
    const { key, descending } = this.sort;
    const byName = (a, b) => a.asset.localeCompare(b.asset) || a.chains.join().localeCompare(b.chains.join());
    const compare = {
      name: byName,
      amount: (a, b) => Number(a.amount) - Number(b.amount),
      value: (a, b) => (a.usd === null ? -1n : a.usd) < (b.usd === null ? -1n : b.usd) ? -1
        : (a.usd === null ? -1n : a.usd) > (b.usd === null ? -1n : b.usd) ? 1 : Number(a.amount) - Number(b.amount),
    }[key];
    rows.sort((a, b) => (descending ? -compare(a, b) : compare(a, b)) || byName(a, b));
    return { rows, hidden };
  }
}

/** One row per asset symbol over every chain: amounts summed exactly, values in micro-dollars. */
export function groupAcrossChains(totals) {
  const groups = new Map();
  for (const t of totals) {
    const key = `asset:${t.asset}`;
    const group = groups.get(key) ?? { key, asset: t.asset, token: null, tokens: [], chains: [], parts: [] };
    group.parts.push(t);
    if (!group.chains.includes(t.chain)) group.chains.push(t.chain);
    if (t.token) group.tokens.push({ chain: t.chain, token: t.token });
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => {
    if (g.parts.length === 1) return { ...g.parts[0], chains: g.chains };
    const decimals = Math.max(...g.parts.map((p) => p.decimals));
    const raw = g.parts.reduce((sum, p) => sum + p.raw * 10n ** BigInt(decimals - p.decimals), 0n);
    const priced = g.parts.filter((p) => p.usd !== null);
    const usd = priced.length ? priced.reduce((sum, p) => sum + p.usd, 0n) : null;
    const prices = new Set(g.parts.map((p) => p.price?.price ?? null));
    return {
      key: g.key, asset: g.asset, token: null, tokens: g.tokens, chains: g.chains, decimals, raw,
      amount: formatUnits(raw, decimals), usd,
      price: prices.size === 1 ? g.parts[0].price : null,
      wallets: g.parts.reduce((sum, p) => sum + p.wallets, 0),
      grouped: true,
    };
  });
}

/** A bar of `part` out of `whole` (BigInt), as a small SVG. */
export function shareBar(part, whole) {
  const fraction = typeof part === "bigint" && whole > 0n ? Number((part * 10000n) / whole) / 100 : 0;
  const root = document.createElementNS(SVG, "svg");
  root.setAttribute("class", "bar");
  root.setAttribute("viewBox", "0 0 100 8");
  root.setAttribute("preserveAspectRatio", "none");
  root.setAttribute("aria-hidden", "true");
  root.setAttribute("focusable", "false");
  const track = document.createElementNS(SVG, "rect");
  track.setAttribute("class", "bar-track");
  track.setAttribute("width", "100");
  track.setAttribute("height", "8");
  const fill = document.createElementNS(SVG, "rect");
  fill.setAttribute("class", "bar-fill");
  fill.setAttribute("width", String(Math.max(0, Math.min(100, fraction))));
  fill.setAttribute("height", "8");
  root.append(track, fill);
  return root;
}

/** The allocation lists: share of the USD total per asset (grouped by symbol) and per chain. */
export function renderAllocation(totals, priced) {
  const section = document.getElementById("allocation");
  const valued = totals.filter((t) => t.usd !== null && t.usd > 0n);
  section.hidden = !priced || valued.length === 0;
  if (section.hidden) return;
  const whole = valued.reduce((sum, t) => sum + t.usd, 0n);
  const byAsset = groupAcrossChains(valued).map((g) => ({ name: g.asset, usd: g.usd }));
  const chains = new Map();
  for (const t of valued) chains.set(t.chain, (chains.get(t.chain) ?? 0n) + t.usd);
  const byChain = [...chains].map(([chain, usd]) => ({ name: chainName(chain), usd }));
  fillBars(document.getElementById("allocation-assets"), byAsset, whole);
  fillBars(document.getElementById("allocation-chains"), byChain, whole);
}

function fillBars(list, items, whole) {
  const sorted = items.sort((a, b) => (a.usd < b.usd ? 1 : a.usd > b.usd ? -1 : a.name.localeCompare(b.name)));
  const shown = sorted.slice(0, BARS);
  const rest = sorted.slice(BARS);
  if (rest.length) shown.push({ name: `Other (${rest.length})`, usd: rest.reduce((sum, i) => sum + i.usd, 0n) });
  list.replaceChildren(...shown.map((item) => h("li", { class: "allocation-item" },
    h("span", { class: "allocation-name" }, item.name),
    h("span", { class: "allocation-share" }, share(item.usd, whole) ?? "—"),
    shareBar(item.usd, whole),
    h("span", { class: "sr-only" }, `, ${formatMicros(item.usd)}`))));
}
