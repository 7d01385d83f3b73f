// The add-wallet form. The server validates addresses (EIP-55, base58); its problem+json
// answer is shown next to the field it names, with the checksum suggestion when it has one.

import { h } from "./dom.js";
import { chainName, shortAddress } from "./format.js";

const FIELDS = ["chain", "address", "label"];

export class WalletForm {
  /**
   * `add(body)` posts the wallet; `onAdded(wallet)` reads it and resolves to an error message or
   * null; `onExisting(id)` shows a wallet that is already tracked.
   */
  constructor({ add, onAdded, onExisting, catalog }) {
    this.add = add;
    this.catalog = catalog;
    this.guessNote = document.getElementById("wallet-chain-guess");
    this.onAdded = onAdded;
    this.onExisting = onExisting;
    this.form = document.getElementById("add-wallet");
    this.chain = document.getElementById("wallet-chain");
    this.address = document.getElementById("wallet-address");
    this.label = document.getElementById("wallet-label");
    this.submit = this.form.querySelector("button[type=submit]");
    this.status = document.getElementById("form-status");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    this.chain.addEventListener("change", () => {
      this.chainPicked = true;
      this.guessNote.textContent = "";
      this.updatePlaceholder();
    });
    this.address.addEventListener("input", () => this.guessChain());
    for (const field of FIELDS) {
      this.input(field).addEventListener("input", () => this.clearError(field));
    }
  }

  input(field) {
    return { chain: this.chain, address: this.address, label: this.label }[field];
  }

  /** Fills the chain menu with the chains the server reads. */
  setChains(chains) {
    const current = this.chain.value;
    this.chain.replaceChildren(...chains.map((c) => h("option", { value: c }, chainName(c))));
    if (chains.includes(current)) this.chain.value = current;
    this.updatePlaceholder();
  }

  /** Picks the chain the address's form says (EVM or Solana); an EVM chain picked by hand stays. */
  guessChain() {
    const guess = this.catalog.guess(this.address.value, this.chain.value);
    if (!guess || guess === this.chain.value) {
      if (!guess) this.guessNote.textContent = "";
      return;
    }
    if (![...this.chain.options].some((o) => o.value === guess)) return;
    this.chain.value = guess;
    this.guessNote.textContent = `Chain set to ${chainName(guess)} from the address.`;
    this.clearError("chain");
    this.updatePlaceholder();
  }

  updatePlaceholder() {
    this.address.placeholder = this.chain.value === "solana" ? "Base58 address" : "0x… address";
  }

  clearError(field) {
    const input = this.input(field);
    input.removeAttribute("aria-invalid");
    document.getElementById(`wallet-${field}-error`).replaceChildren();
  }

  showError(field, problem) {
    const input = this.input(field);
    const slot = document.getElementById(`wallet-${field}-error`);
    input.setAttribute("aria-invalid", "true");
    const message = h("span", { class: "message" }, problem.detail || problem.title);
    slot.replaceChildren(message);
    if (field === "address" && typeof problem.suggestion === "string") {
      slot.append(" ", h("button", {
        type: "button", class: "link-button suggestion",
        "aria-label": `Use the suggested address ${problem.suggestion}`,
        onclick: () => {
          this.address.value = problem.suggestion;
          this.clearError("address");
          this.address.focus();
        },
      }, `Use ${shortAddress(problem.suggestion)}`));
    }
    input.focus();
  }

  setStatus(text, kind = "info", extra = null) {
    this.status.className = `form-status ${kind}`;
    this.status.replaceChildren(...(text ? [h("span", {}, text)] : []), ...(extra ? [" ", extra] : []));
  }

  async send() {
    for (const field of FIELDS) this.clearError(field);
    this.setStatus("");
    const body = { chain: this.chain.value, address: this.address.value.trim() };
    if (this.label.value.trim()) body.label = this.label.value;
    this.submit.disabled = true;
    this.form.setAttribute("aria-busy", "true");
    let wallet;
    try {
      wallet = await this.add(body);
    } catch (error) {
      this.handleError(error);
      return;
    } finally {
      this.submit.disabled = false;
      this.form.removeAttribute("aria-busy");
    }
    this.address.value = "";
    this.label.value = "";
    this.guessNote.textContent = "";
    const added = `Added ${wallet.label || shortAddress(wallet.address)} on ${chainName(wallet.chain)}.`;
    this.setStatus(`${added} Reading its balances…`, "success");
    this.address.focus();
    const problem = await this.onAdded(wallet);
    // Another add may have started meanwhile: only replace this add's own message.
    if (this.status.textContent.startsWith(added)) {
      this.setStatus(problem ? `${added} Reading it failed: ${problem}` : added, problem ? "error" : "success");
    }
  }

  handleError(error) {
    const problem = error.problem ?? { detail: error.message };
    const field = error.field;
    if (error.status === 409 && problem.existing_id) {
      const show = h("button", { type: "button", class: "link-button", onclick: () => this.onExisting(problem.existing_id) }, "Show it");
      this.setStatus(problem.detail || "That wallet is already tracked.", "error", show);
      this.address.setAttribute("aria-invalid", "true");
      return;
    }
    if (field && FIELDS.includes(field)) {
      this.showError(field, problem);
      return;
    }
    this.setStatus(problem.detail || problem.title || "The wallet could not be added.", "error");
  }
}
