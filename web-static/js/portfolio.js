// The total value with its change over 24 hours, and the breakdown per chain and asset with
// each holding's price, value and share of the portfolio, its chain and contract.

import { announce, copyText, h, reconcile, setValue } from "./dom.js";
import { chainName, displayAmount, shortAddress } from "./format.js";
import { renderAllocation, shareBar } from "./holdings.js";
import { changePercent, formatMicros, formatPrice, fractionDigitsFor, share } from "./money.js";

export class PortfolioView {
  /** `catalog`: the ChainCatalog; `controls`: the HoldingsControls that sort, filter and group. */
  constructor(state, { catalog, controls }) {
    this.state = state;
    this.catalog = catalog;
    this.controls = controls;
    this.tools = document.getElementById("holdings-tools");
    this.hiddenNote = document.getElementById("holdings-hidden");
    this.body = null;
    this.total = document.getElementById("total");
    this.note = document.getElementById("total-note");
    this.table = document.getElementById("breakdown");
    this.empty = document.getElementById("breakdown-empty");
    this.usdHeaders = [...this.table.querySelectorAll(".usd-col")];
    this.walletsHeader = this.table.querySelector(".wallets-col");
    this.change = document.getElementById("total-change");
  }

  render() {
    const { state } = this;
    if (!state.loaded) return;
    const totals = state.totals();
    this.renderHeadline(totals);
    this.renderBreakdown(totals);
  }

  renderHeadline(totals) {
    const { state } = this;
    this.total.setAttribute("aria-busy", "false");
    if (state.priced) {
      const sum = totals.reduce((acc, t) => acc + (t.usd ?? 0n), 0n);
      reconcile(this.total, [{ key: "usd" }], (i) => i.key, () => h("span", { class: "total-usd" }), (el, _, isNew) =>
        setValue(el, formatMicros(sum), { animate: !isNew }));
      this.renderChange(sum);
      const unpriced = totals.filter((t) => t.usd === null && t.raw > 0n);
      this.note.textContent = unpriced.length
        ? `Not counted: ${unpriced.map((t) => t.asset).join(", ")} (no price).`
        : "";
      return;
    }
    this.renderChange(null);
    const held = totals.filter((t) => t.raw > 0n);
    if (state.wallets.size === 0) {
      reconcile(this.total, [{ key: "none" }], (i) => i.key, () => h("span", { class: "total-none" }, "—"), () => {});
      this.note.textContent = "Add a wallet to see what it holds.";
      return;
    }
    const items = held.length ? held : [{ key: "zero", zero: true }];
    reconcile(this.total, items, (t) => t.key, (t) =>
      t.zero ? h("span", { class: "total-none" }, "0") :
        h("span", { class: "holding" }, h("span", { class: "amount" }), " ", h("span", { class: "asset" })),
    (el, t, isNew) => {
      if (t.zero) return;
      const shown = displayAmount(t.amount);
      setValue(el.querySelector(".amount"), shown.text, { title: shown.approx ? t.amount : null, animate: !isNew });
      el.querySelector(".asset").textContent = t.asset;
      el.title = `${t.amount} ${t.asset} on ${chainName(t.chain)}`;
    });
    this.note.textContent = "No prices yet: holdings are shown in their own units.";
  }

  /** "+$120.50 (+1.2%) in 24 h", when the value a day ago is known. */
  renderChange(now) {
    const before = this.state.dayAgo;
    const percent = changePercent(now, before);
    this.change.hidden = percent === null;
    if (percent === null) return;
    const delta = now - before;
    this.change.textContent = `${formatMicros(delta, { sign: true })} (${percent}) in 24 h`;
    this.change.dataset.direction = delta > 0n ? "up" : delta < 0n ? "down" : "flat";
  }

  renderBreakdown(totals) {
    const priced = this.state.priced;
    for (const header of this.usdHeaders) header.hidden = !priced;
    // With prices the row has price, value and share; how many wallets hold it is in the list below.
    this.walletsHeader.hidden = priced;
    const whole = totals.reduce((acc, t) => acc + (t.usd ?? 0n), 0n);
    const { rows, hidden } = this.controls.apply(totals, priced);
    this.empty.hidden = totals.length > 0;
    this.tools.hidden = totals.length === 0;
    this.table.hidden = totals.length === 0;
    this.hiddenNote.hidden = totals.length === 0 || rows.length > 0 && hidden === 0;
    this.hiddenNote.textContent = rows.length === 0
      ? (hidden ? `Every holding is hidden as zero or dust (${hidden}).` : "No holdings match the filter.")
      : `${hidden} zero or dust ${hidden === 1 ? "holding" : "holdings"} hidden.`;
    if (!this.body) this.body = this.table.appendChild(h("tbody"));
    const catalog = this.catalog;
    reconcile(this.body, rows, (r) => r.key, () => BreakdownRow.create(), (row, r, isNew) =>
      BreakdownRow.update(row, r, priced, whole, isNew, catalog));
    renderAllocation(totals, priced);
  }
}

const BreakdownRow = {
  create() {
    return h("tr", {},
      h("th", { scope: "row", class: "asset-cell" }),
      h("td", { class: "num amount", "data-label": "Amount" }),
      h("td", { class: "num wallets", "data-label": "Wallets" }),
      h("td", { class: "num price", "data-label": "Price" }),
      h("td", { class: "num usd", "data-label": "Value" }),
      h("td", { class: "num share", "data-label": "Share" }));
  },

  /** The asset's symbol, its chain badges and, for a token, its short contract with copy and explorer link. */
  fillAsset(cell, t, catalog) {
    const tokens = t.grouped ? t.tokens : t.token ? [{ chain: t.chain, token: t.token }] : [];
    const signature = JSON.stringify([t.asset, t.chains, tokens, catalog.chains.size]);
    if (cell.dataset.signature === signature) return;
    cell.dataset.signature = signature;
    const badges = h("span", { class: "chain-badges" },
      t.chains.map((c) => h("span", { class: "chain-badge", "data-chain": c }, chainName(c))));
    const contracts = tokens.map(({ chain, token }) => {
      const url = catalog.tokenUrl(chain, token);
      const where = `${t.asset} on ${chainName(chain)}`;
      return h("span", { class: "contract" },
        h("code", { class: "contract-text", title: token }, shortAddress(token)),
        h("button", {
          type: "button", class: "icon-button copy-token", "aria-label": `Copy contract of ${where}: ${token}`,
          onclick: async () => announce((await copyText(token)) ? "Contract copied." : `Copy failed; the contract is ${token}`),
        }, "Copy"),
        url ? h("a", { class: "explorer-link", href: url, target: "_blank", rel: "noopener noreferrer",
          "aria-label": `${where} on ${catalog.explorerName(chain) ?? "the explorer"}` }, "Explorer") : null);
    });
    cell.replaceChildren(t.asset, " ", badges, ...(contracts.length ? [h("span", { class: "contracts" }, contracts)] : []));
    cell.title = tokens.length ? "" : "Native coin";
  },

  update(row, t, priced, whole, isNew, catalog) {
    const [asset, amount, wallets, price, usd, portion] = row.children;
    BreakdownRow.fillAsset(asset, t, catalog);
    const shown = displayAmount(t.amount, fractionDigitsFor(t.price?.price));
    setValue(amount, shown.text, { title: shown.approx ? t.amount : null, animate: !isNew });
    amount.classList.toggle("zero", t.raw === 0n);
    wallets.textContent = String(t.wallets);
    wallets.hidden = priced;
    for (const cell of [price, usd, portion]) cell.hidden = !priced;
    const unpriced = t.usd === null;
    row.classList.toggle("unpriced", unpriced);
    price.textContent = unpriced ? "no price" : t.price ? formatPrice(t.price.price) : "—";
    price.title = unpriced ? "No source has a price for this asset" : t.price ? `${t.price.source}, ${t.price.at ?? ""}` : "Prices differ per chain";
    setValue(usd, unpriced ? "—" : formatMicros(t.usd), { animate: !isNew });
    portion.replaceChildren(unpriced ? "—" : share(t.usd, whole) ?? "—", ...(unpriced ? [] : [shareBar(t.usd, whole)]));
  },
};
