// The wallets table: chain, label, address with copy, balances, freshness, and the row actions
// (refresh, rename, delete). The page's controller does the API calls through `actions`.
// Under a read-only access token the actions that write are disabled, pointing at the note
// that says why (the server would answer 403).

import { confirmDelete } from "./confirm-delete.js";
import { announce, copyText, flash, h, reconcile, setValue } from "./dom.js";
import { chainName, displayAmount, formatDateTime, relativeTime, shortAddress } from "./format.js";
import { formatMicros, fractionDigitsFor } from "./money.js";
import { totalKey } from "./state.js";

/** Older than this, a wallet's balances are marked stale. */
const STALE_MS = 5 * 60 * 1000;

const nameOf = (wallet) => wallet.label || shortAddress(wallet.address);

export class WalletsView {
  /**
   * `actions`: {refresh(id), relabel(id, label), remove(id)}, each a promise that throws ApiError.
   * `readOnly`: the id of the note explaining why writing is off, or null when it is on.
   */
  constructor(state, actions, { readOnly = null, catalog = null } = {}) {
    this.state = state;
    this.catalog = catalog;
    this.actions = actions;
    this.readOnly = readOnly;
    this.table = document.getElementById("wallet-table");
    this.body = this.table.tBodies[0];
    this.empty = document.getElementById("wallets-empty");
    this.heading = document.getElementById("wallets-title");
  }

  render() {
    if (!this.state.loaded) return;
    const entries = [...this.state.wallets.values()].sort((a, b) =>
      a.wallet.created_at.localeCompare(b.wallet.created_at) || a.wallet.id.localeCompare(b.wallet.id));
    this.table.hidden = entries.length === 0;
    this.empty.hidden = entries.length > 0;
    reconcile(this.body, entries, (e) => e.wallet.id, (e) => this.createRow(e.wallet.id), (row, e, isNew) =>
      this.updateRow(row, e, isNew));
  }

  /** Refreshes the "updated … ago" texts. */
  tick() {
    const now = Date.now();
    for (const row of this.body.rows) {
      const time = row.querySelector("time");
      const at = this.state.freshnessOf(row.dataset.key);
      const entry = this.state.wallets.get(row.dataset.key);
      if (!time || !at || !entry) continue;
      time.textContent = relativeTime(at, now);
      row.querySelector(".fresh").classList.toggle(
        "stale", now - at.getTime() > STALE_MS || this.state.chainTrouble(entry.wallet.chain) !== null);
    }
  }

  /** Brings a wallet's row into view and highlights it (an address that is already tracked). */
  highlight(id) {
    const row = [...this.body.rows].find((r) => r.dataset.key === id);
    if (!row) return;
    row.scrollIntoView({ block: "center", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
    flash(row);
  }

  createRow(id) {
    const row = h("tr", { class: "wallet-row" },
      h("td", { class: "chain", "data-label": "Chain" }),
      h("th", { scope: "row", class: "label", "data-label": "Label" }, h("span", { class: "label-text" })),
      h("td", { class: "address", "data-label": "Address" },
        h("code", { class: "address-text" }),
        h("button", { type: "button", class: "icon-button copy", onclick: () => this.copy(id) }, "Copy"),
        h("a", { class: "explorer-link", target: "_blank", rel: "noopener noreferrer", hidden: true }, "Explorer")),
      h("td", { class: "balances", "data-label": "Balances" }, h("ul", { class: "balance-list" }),
        h("p", { class: "wallet-usd", hidden: true })),
      h("td", { class: "fresh", "data-label": "Updated" }),
      h("td", { class: "actions", "data-label": "Actions" },
        h("div", { class: "action-buttons" },
          h("button", { type: "button", class: "refresh", onclick: () => this.refresh(id, row), ...this.writeOff() }, "Refresh"),
          h("button", { type: "button", class: "rename", onclick: () => this.startRename(id, row), ...this.writeOff() }, "Rename"),
          h("button", { type: "button", class: "export-history", onclick: () => this.actions.exportHistory(id, row.querySelector(".export-history")) },
            "History CSV"),
          h("button", { type: "button", class: "delete danger", onclick: () => this.confirmDelete(id, row), ...this.writeOff() },
            "Delete")),
        h("p", { class: "row-message", role: "status" })));
    return row;
  }

  /** The attributes of a button that writes: disabled, and described by the note, when read-only. */
  writeOff() {
    return this.readOnly ? { disabled: true, "aria-describedby": this.readOnly } : {};
  }

  updateRow(row, entry, isNew) {
    const { wallet, balances, read } = entry;
    const name = nameOf(wallet);
    row.querySelector(".chain").textContent = chainName(wallet.chain);
    if (!row.classList.contains("editing")) {
      const label = row.querySelector(".label-text");
      label.textContent = wallet.label || "No label";
      label.classList.toggle("muted", !wallet.label);
    }
    const code = row.querySelector(".address-text");
    code.textContent = shortAddress(wallet.address);
    code.title = wallet.address;
    row.querySelector(".copy").setAttribute("aria-label", `Copy address of ${name}: ${wallet.address}`);
    const explorer = row.querySelector(".explorer-link");
    const url = this.catalog?.addressUrl(wallet.chain, wallet.address) ?? null;
    explorer.hidden = !url;
    if (url) {
      explorer.href = url;
      explorer.setAttribute("aria-label", `${name} on ${this.catalog.explorerName(wallet.chain) ?? "the explorer"}`);
    }
    row.querySelector(".export-history").setAttribute("aria-label", `Export the history of ${name} as CSV`);
    row.querySelector(".refresh").setAttribute("aria-label", `Refresh ${name}`);
    row.querySelector(".rename").setAttribute("aria-label", `Rename ${name}`);
    row.querySelector(".delete").setAttribute("aria-label", `Delete ${name}`);

    const list = row.querySelector(".balance-list");
    const items = read
      ? [...balances.values()].sort((a, b) => (a.token === null ? -1 : b.token === null ? 1 : a.asset.localeCompare(b.asset)))
      : [];
    list.classList.toggle("pending", !read);
    if (!read) {
      reconcile(list, [{ key: "pending" }], (i) => i.key, () => h("li", { class: "muted" }, "Reading…"), () => {});
    } else {
      reconcile(list, items, (b) => b.token ?? "", () =>
        h("li", { class: "balance" }, h("span", { class: "amount" }), " ", h("span", { class: "asset" })),
      (li, b, itemNew) => {
        const shown = displayAmount(b.amount, fractionDigitsFor(this.state.prices.get(totalKey(wallet.chain, b.token))?.price));
        li.classList.toggle("zero", b.raw === "0");
        li.querySelector(".asset").textContent = b.asset;
        setValue(li.querySelector(".amount"), shown.text, { title: shown.approx ? b.amount : null, animate: !itemNew || !isNew });
        li.title = `${b.amount} ${b.asset}${b.block ? ` at block ${b.block}` : ""}`;
      });
      if (items.length === 0) {
        reconcile(list, [{ key: "none" }], (i) => i.key, () => h("li", { class: "muted" }, "No balances"), () => {});
      }
    }

    const value = this.state.walletValue(wallet.id);
    const usd = row.querySelector(".wallet-usd");
    usd.hidden = value === null;
    if (value !== null) {
      setValue(usd, formatMicros(value.usd) + (value.unpriced ? ` + ${value.unpriced} unpriced` : ""), { animate: !isNew });
    }

    const fresh = row.querySelector(".fresh");
    const at = this.state.freshnessOf(wallet.id);
    // While its chain is not ok a wallet's balances are only as new as its last good read: say so.
    const trouble = this.state.chainTrouble(wallet.chain);
    if (at) {
      let time = fresh.querySelector("time");
      if (!time) fresh.replaceChildren((time = h("time")), h("span", { class: "fresh-note" }));
      time.dateTime = at.toISOString();
      time.title = formatDateTime(at);
      time.textContent = relativeTime(at);
      fresh.querySelector(".fresh-note").textContent = trouble ? `${chainName(wallet.chain)} ${trouble}` : "";
      fresh.classList.toggle("stale", Date.now() - at.getTime() > STALE_MS || trouble !== null);
    } else {
      fresh.replaceChildren(h("span", { class: "muted" }, trouble ? `Not read: ${chainName(wallet.chain)} ${trouble}` : "Not read yet"));
      fresh.classList.remove("stale");
    }
  }

  message(row, text, isError = false) {
    const slot = row.querySelector(".row-message");
    slot.textContent = text;
    slot.classList.toggle("error", isError);
  }

  async copy(id) {
    const entry = this.state.wallets.get(id);
    if (!entry) return;
    const row = [...this.body.rows].find((r) => r.dataset.key === id);
    const done = await copyText(entry.wallet.address);
    const text = done ? "Address copied." : `Copy failed; the address is ${entry.wallet.address}`;
    if (row) this.message(row, text, !done);
    announce(text);
  }

  async refresh(id, row) {
    if (this.readOnly) return;
    const button = row.querySelector(".refresh");
    button.disabled = true;
    this.message(row, "Refreshing…");
    try {
      await this.actions.refresh(id);
      this.message(row, "");
    } catch (error) {
      this.message(row, error.message, true);
    } finally {
      button.disabled = Boolean(this.readOnly);
    }
  }

  startRename(id, row) {
    if (this.readOnly) return;
    const entry = this.state.wallets.get(id);
    if (!entry || row.classList.contains("editing")) return;
    row.classList.add("editing");
    const cell = row.querySelector(".label");
    const inputId = `label-${id}`;
    const errorId = `label-error-${id}`;
    const input = h("input", { id: inputId, type: "text", maxlength: 100, value: entry.wallet.label ?? "", autocomplete: "off", "aria-describedby": errorId });
    const cancel = () => {
      row.classList.remove("editing");
      form.remove();
      cell.querySelector(".label-text").hidden = false;
      this.updateRow(row, this.state.wallets.get(id) ?? entry, false);
      row.querySelector(".rename").focus();
    };
    const form = h("form", { class: "rename-form", novalidate: true },
      h("label", { for: inputId, class: "sr-only" }, `New label for ${nameOf(entry.wallet)}`),
      input,
      h("div", { class: "rename-buttons" },
        h("button", { type: "submit", class: "primary" }, "Save"),
        h("button", { type: "button", onclick: cancel }, "Cancel")),
      h("p", { id: errorId, class: "field-error", role: "alert" }));
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") cancel();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = form.querySelector(".field-error");
      error.textContent = "";
      input.removeAttribute("aria-invalid");
      try {
        await this.actions.relabel(id, input.value.trim() === "" ? null : input.value);
        cancel();
        announce("Label saved.");
      } catch (problem) {
        error.textContent = problem.message;
        input.setAttribute("aria-invalid", "true");
        input.focus();
      }
    });
    cell.querySelector(".label-text").hidden = true;
    cell.append(form);
    input.focus();
    input.select();
  }

  confirmDelete(id, row) {
    if (this.readOnly || row.querySelector(".confirm")) return;
    const entry = this.state.wallets.get(id);
    if (!entry) return;
    confirmDelete({
      buttons: row.querySelector(".action-buttons"), returnTo: row.querySelector(".delete"),
      question: `Stop tracking ${nameOf(entry.wallet)}?`,
      remove: async () => {
        await this.actions.remove(id);
        announce(`${nameOf(entry.wallet)} deleted.`);
        this.heading.focus();
      },
      failed: (error) => this.message(row, error.message, true),
    });
  }
}
