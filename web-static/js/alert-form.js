// The add-alert form: one form for the four kinds of rule, showing only the fields the chosen
// kind takes. Levels are sent as typed (the server reads them as exact decimals and says what
// is wrong); its problem `detail` is shown at the field it names, or under the form.

import { api } from "./api.js";

/** The fields each kind shows (the elements carry `data-kinds`), and what its threshold means. */
const THRESHOLD = {
  value_above: ["Level in USD", "A positive number, such as 10000 or 2500.50."],
  value_below: ["Level in USD", "A positive number, such as 10000 or 2500.50."],
  amount: ["Amount of the asset", "A positive number, such as 0.5: a move of at least this much fires."],
  percent: ["Percent", "A positive number, such as 10: a move of at least this share of the balance fires."],
};
const VALUE_KINDS = ["value_above", "value_below"];

export class AlertForm {
  /** `onAdded(rule)`: takes a rule the server made and answers what it is called. */
  constructor({ onAdded }) {
    this.onAdded = onAdded;
    this.form = document.getElementById("add-alert");
    this.kind = document.getElementById("alert-kind");
    this.wallet = document.getElementById("alert-wallet");
    this.asset = document.getElementById("alert-asset");
    this.threshold = document.getElementById("alert-threshold");
    this.name = document.getElementById("alert-name");
    this.status = document.getElementById("alert-form-status");
    this.submit = this.form.querySelector("button[type=submit]");
    this.walletsKey = null;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    this.form.addEventListener("change", (event) => {
      if (["kind", "percent"].includes(event.target.name)) this.showKind();
      if (event.target.type === "radio") this.clearError(event.target.name);
    });
    for (const field of ["kind", "wallet_id", "asset", "threshold", "name"]) {
      this.input(field).addEventListener("input", () => this.clearError(field));
    }
    this.showKind();
  }

  /** The control a problem's `field` names, if the form has one. */
  input(field) {
    const inputs = { kind: this.kind, wallet_id: this.wallet, asset: this.asset, threshold: this.threshold, name: this.name };
    if (inputs[field]) return inputs[field];
    if (field === "percent" || field === "direction") return this.form.querySelector(`input[name=${field}]:checked`);
    return null;
  }

  errorSlot(field) {
    const ids = { wallet_id: "alert-wallet-error" };
    return document.getElementById(ids[field] ?? `alert-${field}-error`);
  }

  checked(name) {
    return this.form.querySelector(`input[name=${name}]:checked`).value;
  }

  /** Shows the fields of the chosen kind, and says what its threshold is. */
  showKind() {
    const kind = this.kind.value;
    for (const element of this.form.querySelectorAll("[data-kinds]")) {
      element.hidden = !element.dataset.kinds.split(" ").includes(kind);
    }
    const [label, hint] = THRESHOLD[kind] ?? THRESHOLD[this.checked("percent") === "true" ? "percent" : "amount"];
    document.getElementById("alert-threshold-label").textContent = label;
    document.getElementById("alert-threshold-hint").textContent = hint;
    // A value rule without a wallet watches the portfolio; the others, every wallet.
    this.wallet.options[0].textContent = VALUE_KINDS.includes(kind) ? "The whole portfolio" : "Any wallet";
  }

  /** `wallets`: [{id, name}] in the order to offer them; the choice is kept while it exists. */
  setWallets(wallets) {
    const key = JSON.stringify(wallets);
    if (key === this.walletsKey) return;
    this.walletsKey = key;
    const chosen = this.wallet.value;
    const first = this.wallet.options[0];
    this.wallet.replaceChildren(first, ...wallets.map((w) => new Option(w.name, w.id)));
    this.wallet.value = wallets.some((w) => w.id === chosen) ? chosen : "";
  }

  /** The request's body, as the chosen kind takes it. */
  body() {
    const kind = this.kind.value;
    const body = { kind };
    if (this.name.value.trim()) body.name = this.name.value.trim();
    if (this.wallet.value) body.wallet_id = this.wallet.value;
    if (kind === "balance_change") {
      body.asset = this.asset.value.trim();
      body.percent = this.checked("percent") === "true";
    }
    if (kind !== "activity") body.threshold = this.threshold.value.trim();
    else body.direction = this.checked("direction");
    return body;
  }

  clearError(field) {
    for (const input of this.form.querySelectorAll(`[name=${field}]`)) {
      input.removeAttribute("aria-invalid");
    }
    const slot = this.errorSlot(field);
    if (slot) slot.textContent = "";
  }

  setStatus(text, kind = "info") {
    this.status.className = `form-status ${kind}`;
    this.status.textContent = text;
  }

  async send() {
    for (const field of ["kind", "wallet_id", "asset", "percent", "threshold", "direction", "name"]) {
      this.clearError(field);
    }
    this.setStatus("");
    this.submit.disabled = true;
    this.form.setAttribute("aria-busy", "true");
    let rule;
    try {
      rule = await api.addAlert(this.body());
    } catch (error) {
      this.failed(error);
      return;
    } finally {
      this.submit.disabled = false;
      this.form.removeAttribute("aria-busy");
    }
    this.threshold.value = "";
    this.name.value = "";
    this.asset.value = "";
    this.setStatus(`Added ${this.onAdded(rule)}.`, "success");
  }

  /** The server's words at the field they are about, which takes focus; else under the form. */
  failed(error) {
    const text = error.problem?.detail || error.message;
    const input = this.input(error.field);
    const slot = input && this.errorSlot(error.field);
    if (!input || !slot || input.closest("[hidden]")) {
      this.setStatus(`The alert was not added: ${text}`, "error");
      return;
    }
    input.setAttribute("aria-invalid", "true");
    slot.textContent = text;
    input.focus();
  }
}
