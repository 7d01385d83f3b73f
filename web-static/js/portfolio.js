// The total value with its change over 24 hours, and the breakdown per chain and asset with
// each holding's price, value and share of the portfolio.

import { h, reconcile, setValue } from "./dom.js";
import { chainName, displayAmount } from "./format.js";
import { changePercent, formatMicros, formatPrice, share } from "./money.js";

export class PortfolioView {
  constructor(state) {
    this.state = state;
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
    this.empty.hidden = totals.length > 0;
    this.table.hidden = totals.length === 0;
    const columns = priced ? 5 : 3;
    const whole = totals.reduce((acc, t) => acc + (t.usd ?? 0n), 0n);
    const chains = [...new Set(totals.map((t) => t.chain))].map((chain) => ({
      chain, rows: totals.filter((t) => t.chain === chain),
    }));
    // One row group per chain: a heading row, then a row per asset.
    reconcile(this.table, chains, (c) => `chain:${c.chain}`, () => h("tbody"), (body, c) => {
      const subtotal = c.rows.reduce((acc, r) => acc + (r.usd ?? 0n), 0n);
      const items = [{ key: "head", head: true }, ...c.rows];
      reconcile(body, items, (r) => r.key, (r) => (r.head ? BreakdownRow.head() : BreakdownRow.create()),
        (row, r, isNew) => {
          if (r.head) BreakdownRow.updateHead(row, c.chain, columns, priced ? formatMicros(subtotal) : null);
          else BreakdownRow.update(row, r, priced, whole, isNew);
        });
    });
  }
}

const BreakdownRow = {
  head() {
    return h("tr", { class: "group-row" },
      h("th", { scope: "rowgroup" }, h("span", { class: "group-name" }), h("span", { class: "group-usd" })));
  },

  updateHead(row, chain, columns, subtotal) {
    const cell = row.firstElementChild;
    cell.colSpan = columns;
    cell.querySelector(".group-name").textContent = chainName(chain);
    setValue(cell.querySelector(".group-usd"), subtotal ? ` · ${subtotal}` : "");
  },

  create() {
    return h("tr", {},
      h("th", { scope: "row", class: "asset-cell" }),
      h("td", { class: "num amount" }),
      h("td", { class: "num wallets" }),
      h("td", { class: "num price" }),
      h("td", { class: "num usd" }),
      h("td", { class: "num share" }));
  },

  update(row, t, priced, whole, isNew) {
    const [asset, amount, wallets, price, usd, portion] = row.children;
    asset.textContent = t.asset;
    asset.title = t.token ? `Token ${t.token}` : "Native coin";
    const shown = displayAmount(t.amount);
    setValue(amount, shown.text, { title: shown.approx ? t.amount : null, animate: !isNew });
    amount.classList.toggle("zero", t.raw === 0n);
    wallets.textContent = String(t.wallets);
    wallets.hidden = priced;
    for (const cell of [price, usd, portion]) cell.hidden = !priced;
    const unpriced = t.usd === null;
    row.classList.toggle("unpriced", unpriced);
    price.textContent = unpriced ? "no price" : formatPrice(t.price.price);
    price.title = unpriced ? "No source has a price for this asset" : `${t.price.source}, ${t.price.at ?? ""}`;
    setValue(usd, unpriced ? "—" : formatMicros(t.usd), { animate: !isNew });
    portion.textContent = unpriced ? "—" : share(t.usd, whole) ?? "—";
  },
};
