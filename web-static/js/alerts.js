// The alerts panel: the user's alert rules (/api/v1/alerts) with their state, the add form
// (alert-form.js), per rule enable or disable and delete (after a confirmation), and the latest
// alerts fired (fired-alerts.js). Under a read-only token the add form is
// hidden and the writing actions are off.

import { AlertForm } from "./alert-form.js";
import { api, ApiError } from "./api.js";
import { confirmDelete } from "./confirm-delete.js";
import { announce, h, reconcile, timeElement } from "./dom.js";
import { FiredAlerts } from "./fired-alerts.js";
import { chainName, displayAmount, shortAddress } from "./format.js";

const KIND_NAME = {
  value_above: "Value above a level",
  value_below: "Value below a level",
  balance_change: "Balance move",
  activity: "Activity",
};

const walletName = (wallet) => wallet.label || shortAddress(wallet.address);
const figure = (text) => displayAmount(text, 8).text;

export class AlertsView {
  /** `state`: the page's PortfolioState (for wallet names); `readOnly`: the note's id, or null. */
  constructor(state, { readOnly = null } = {}) {
    this.state = state;
    this.readOnly = readOnly;
    this.active = false;
    this.loaded = false;
    this.rules = [];
    this.list = document.getElementById("alert-list");
    this.empty = document.getElementById("alerts-empty");
    this.problem = document.getElementById("alerts-problem");
    this.heading = document.getElementById("alerts-title");
    document.getElementById("alerts-read-only-note").hidden = !readOnly;
    document.getElementById("add-alert").hidden = Boolean(readOnly);
    this.form = new AlertForm({
      onAdded: (rule) => {
        this.rules = [...this.rules.filter((r) => r.id !== rule.id), rule];
        this.loaded = true;
        this.render();
        return this.title(rule);
      },
    });
    this.fired = new FiredAlerts({
      ruleName: (id) => {
        const rule = this.rule(id);
        return rule ? this.title(rule) : null;
      },
    });
    this.walletsChanged();
  }

  start() {
    this.active = true;
    this.refresh();
  }

  stop() {
    this.active = false;
  }

  async refresh() {
    if (!this.active) return;
    try {
      const [{ alerts }, { fired }] = await Promise.all([api.alerts(), api.firedAlerts()]);
      if (!this.active) return;
      this.rules = alerts;
      this.fired.load(fired);
      this.loaded = true;
      this.problem.hidden = true;
      this.render();
    } catch (error) {
      if (!this.active || (error instanceof ApiError && error.status === 401)) return;
      this.problem.hidden = false;
      this.problem.textContent = `The alert rules could not be read: ${error.message}`;
    }
  }

  /** An `alert` frame from the stream. */
  alertFired(frame) {
    if (this.fired.add(frame)) this.render();
  }

  /** The wallets changed (added, removed, renamed): the form's menu and the rules' words follow. */
  walletsChanged() {
    const wallets = [...this.state.wallets.values()].map((e) => e.wallet)
      .sort((a, b) => walletName(a).localeCompare(walletName(b)) || a.id.localeCompare(b.id))
      .map((w) => ({ id: w.id, name: `${walletName(w)} (${chainName(w.chain)})` }));
    this.form.setWallets(wallets);
    if (this.loaded) this.render();
  }

  /** Relative times move on. */
  tick() {
    if (!this.loaded) return;
    this.render();
    this.fired.render();
  }

  rule(id) {
    return this.rules.find((rule) => rule.id === id) ?? null;
  }

  title(rule) {
    return rule.name || KIND_NAME[rule.kind] || rule.kind;
  }

  /** The rule in words: what it watches and when it fires. */
  describe(rule) {
    const entry = rule.wallet_id ? this.state.wallets.get(rule.wallet_id) : null;
    const wallet = rule.wallet_id ? (entry ? walletName(entry.wallet) : "a wallet no longer tracked") : null;
    switch (rule.kind) {
      case "value_above":
      case "value_below":
        return `${wallet ? `Value of ${wallet}` : "Portfolio value"} ${rule.kind === "value_above" ? "above" : "below"} `
          + `$${figure(rule.threshold)}`;
      case "balance_change":
        return `${rule.asset} in ${wallet ?? "any wallet"} moves by `
          + `${rule.percent ? `${figure(rule.threshold)}%` : `${figure(rule.threshold)} ${rule.asset}`} or more`;
      case "activity": {
        const where = wallet ?? "any wallet";
        if (rule.direction === "incoming") return `Anything received by ${where}`;
        if (rule.direction === "outgoing") return `Anything sent from ${where}`;
        return `Anything received by or sent from ${where}`;
      }
      default:
        return rule.kind;
    }
  }

  render() {
    const rules = [...this.rules].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
    this.list.hidden = rules.length === 0;
    this.empty.hidden = !this.loaded || rules.length > 0;
    reconcile(this.list, rules, (rule) => rule.id, (rule) => this.createItem(rule.id), (item, rule) =>
      this.updateItem(item, rule));
    this.list.closest("section").dataset.loaded = "true";
  }

  /** The attributes of a button that writes: disabled, and described by the note, when read-only. */
  writeOff() {
    return this.readOnly ? { disabled: true, "aria-describedby": this.readOnly } : {};
  }

  createItem(id) {
    const item = h("li", { class: "rule" },
      h("div", { class: "rule-head" },
        h("h3", { class: "rule-title" }),
        h("span", { class: "rule-state" })),
      h("p", { class: "rule-what" }),
      h("p", { class: "rule-fired muted" }),
      h("div", { class: "rule-actions" },
        h("button", { type: "button", class: "rule-toggle", onclick: () => this.toggle(id, item), ...this.writeOff() }),
        h("button", { type: "button", class: "rule-delete danger", onclick: () => this.confirmDelete(id, item),
          ...this.writeOff() }, "Delete")),
      h("p", { class: "rule-message", role: "status" }));
    return item;
  }

  updateItem(item, rule) {
    const title = this.title(rule);
    item.querySelector(".rule-title").textContent = title;
    item.querySelector(".rule-what").textContent = this.describe(rule);
    const state = item.querySelector(".rule-state");
    state.dataset.state = rule.enabled ? "enabled" : "disabled";
    state.textContent = rule.enabled ? "Enabled" : "Disabled";
    item.dataset.enabled = String(rule.enabled);
    item.dataset.kind = rule.kind;
    const fired = this.fired.lastFired(rule.id) ?? rule.last_fired_at;
    const line = item.querySelector(".rule-fired");
    line.hidden = !fired;
    if (fired) line.replaceChildren("Last fired ", timeElement(fired));
    const toggle = item.querySelector(".rule-toggle");
    toggle.textContent = rule.enabled ? "Disable" : "Enable";
    toggle.setAttribute("aria-label", `${toggle.textContent} ${title}`);
    item.querySelector(".rule-delete").setAttribute("aria-label", `Delete ${title}`);
  }

  message(item, text, kind = "info") {
    const slot = item.querySelector(".rule-message");
    slot.textContent = text;
    slot.dataset.kind = kind;
  }

  async toggle(id, item) {
    const rule = this.rule(id);
    if (this.readOnly || !rule) return;
    const button = item.querySelector(".rule-toggle");
    button.disabled = true;
    try {
      const updated = await api.updateAlert(id, { enabled: !rule.enabled });
      this.rules = this.rules.map((r) => (r.id === id ? updated : r));
      this.render();
      this.message(item, updated.enabled ? "Enabled: it fires again." : "Disabled: it does not fire until enabled.",
        "success");
    } catch (error) {
      this.message(item, error.message, "error");
    } finally {
      button.disabled = false;
      button.focus();
    }
  }

  confirmDelete(id, item) {
    const rule = this.rule(id);
    if (this.readOnly || !rule || item.querySelector(".confirm")) return;
    confirmDelete({
      buttons: item.querySelector(".rule-actions"), returnTo: item.querySelector(".rule-delete"),
      question: `Delete ${this.title(rule)}? It fires no more; alerts it fired stay where they were sent.`,
      remove: async () => {
        try {
          await api.deleteAlert(id);
        } catch (error) {
          // Already gone is as good as deleted.
          if (!(error instanceof ApiError && error.status === 404)) throw error;
        }
        this.rules = this.rules.filter((r) => r.id !== id);
        this.render();
        this.fired.render();
        announce(`${this.title(rule)} deleted.`);
        this.heading.focus();
      },
      failed: (error) => this.message(item, error.message, "error"),
    });
  }
}
