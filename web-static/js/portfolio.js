// The total value and the breakdown per chain and asset.

import { h, reconcile, setValue } from "./dom.js";
import { chainName, displayAmount, formatUsd } from "./format.js";

export class PortfolioView {
  constructor(state) {
    this.state = state;
    this.total = document.getElementById("total");
    this.note = document.getElementById("total-note");
    this.table = document.getElementById("breakdown");
    this.empty = document.getElementById("breakdown-empty");
    this.usdHeader = this.table.querySelector(".usd-col");
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
      const priced = totals.filter((t) => t.usd !== null);
      const sum = priced.reduce((acc, t) => acc + t.usd, 0);
      reconcile(this.total, [{ key: "usd" }], (i) => i.key, () => h("span", { class: "total-usd" }), (el, _, isNew) =>
        setValue(el, formatUsd(sum), { animate: !isNew }));
      const unpriced = totals.filter((t) => t.usd === null && t.raw > 0n).length;
      this.note.textContent = unpriced ? `${unpriced} holding${unpriced === 1 ? " has" : "s have"} no price yet.` : "";
      return;
    }
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

  renderBreakdown(totals) {
    const priced = this.state.priced;
    this.usdHeader.hidden = !priced;
    this.empty.hidden = totals.length > 0;
    this.table.hidden = totals.length === 0;
    const columns = priced ? 4 : 3;
    const chains = [...new Set(totals.map((t) => t.chain))].map((chain) => ({
      chain, rows: totals.filter((t) => t.chain === chain),
    }));
    // One row group per chain: a heading row, then a row per asset.
    reconcile(this.table, chains, (c) => `chain:${c.chain}`, () => h("tbody"), (body, c) => {
      const subtotal = c.rows.filter((r) => r.usd !== null).reduce((acc, r) => acc + r.usd, 0);
      const items = [{ key: "head", head: true }, ...c.rows];
      reconcile(body, items, (r) => r.key, (r) => (r.head ? BreakdownRow.head() : BreakdownRow.create()),
        (row, r, isNew) => {
          if (r.head) BreakdownRow.updateHead(row, c.chain, columns, priced ? formatUsd(subtotal) : null);
          else BreakdownRow.update(row, r, priced, isNew);
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
      h("td", { class: "num usd" }));
  },

  update(row, t, priced, isNew) {
    const [asset, amount, wallets, usd] = row.children;
    asset.textContent = t.asset;
    asset.title = t.token ? `Token ${t.token}` : "Native coin";
    const shown = displayAmount(t.amount);
    setValue(amount, shown.text, { title: shown.approx ? t.amount : null, animate: !isNew });
    amount.classList.toggle("zero", t.raw === 0n);
    wallets.textContent = String(t.wallets);
    usd.hidden = !priced;
    setValue(usd, formatUsd(t.usd) ?? "no price", { animate: !isNew });
  },
};
