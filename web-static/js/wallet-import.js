// Importing many wallets at once: pasted lines (sent as a JSON array, each line's chain named
// or guessed from the address) or a CSV file (sent as is, `content-type: text/csv`), through
// POST /api/v1/wallets/import. The answer's result per row is shown: created, exists or invalid
// with its error.

import { announce, h } from "./dom.js";
import { chainName, shortAddress } from "./format.js";

const STATUS_TEXT = { created: "Created", exists: "Already tracked", invalid: "Invalid" };

export class WalletImport {
  /** `send(body, {csv})` posts the import; `catalog` guesses chains; `onImported(wallets)` takes the new ones. */
  constructor({ send, catalog, onImported }) {
    this.send = send;
    this.catalog = catalog;
    this.onImported = onImported;
    this.form = document.getElementById("import-form");
    this.text = document.getElementById("import-text");
    this.file = document.getElementById("import-file");
    this.status = document.getElementById("import-status");
    this.table = document.getElementById("import-results");
    this.submit = this.form.querySelector("button[type=submit]");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run();
    });
  }

  /** Pasted lines as the import's JSON array; a pasted CSV with a header line stays CSV. */
  parse(text) {
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    if (lines.length && /(^|,)\s*"?address"?\s*(,|$)/i.test(lines[0])) return { csv: true, body: lines.join("\n") + "\n" };
    const body = lines.map((line) => {
      const cells = (line.includes(",") || line.includes("\t") ? line.split(/[,\t]/) : line.split(/\s+/))
        .map((c) => c.trim());
      let chain = null;
      if (cells.length > 1 && this.catalog.chains.has(cells[0].toLowerCase())) chain = cells.shift().toLowerCase();
      const address = cells.shift() ?? "";
      const label = cells.filter(Boolean).join(line.includes(",") ? ", " : " ");
      const wallet = { chain: chain ?? this.catalog.guess(address, null) ?? "ethereum", address };
      if (label) wallet.label = label;
      return wallet;
    });
    return { csv: false, body };
  }

  async run() {
    this.status.className = "form-status";
    let request;
    const file = this.file.files?.[0];
    if (file) request = { csv: true, body: await file.text() };
    else request = this.parse(this.text.value);
    if (!file && request.csv === false && request.body.length === 0) {
      this.status.className = "form-status error";
      this.status.textContent = "Paste at least one address, or pick a CSV file.";
      this.text.focus();
      return;
    }
    this.submit.disabled = true;
    this.form.setAttribute("aria-busy", "true");
    this.status.textContent = "Importing…";
    try {
      const answer = await this.send(request.body, { csv: request.csv });
      this.show(answer);
      const created = (answer.results ?? []).filter((r) => r.status === "created" && r.wallet).map((r) => r.wallet);
      if (created.length) this.onImported(created);
      if (!answer.invalid) {
        this.text.value = "";
        this.file.value = "";
      }
    } catch (error) {
      this.table.hidden = true;
      this.status.className = "form-status error";
      this.status.textContent = `The import failed: ${error.message}`;
    } finally {
      this.submit.disabled = false;
      this.form.removeAttribute("aria-busy");
    }
  }

  show(answer) {
    const { created = 0, existing = 0, invalid = 0, results = [] } = answer;
    const summary = `${created} created, ${existing} already tracked, ${invalid} invalid.`;
    this.status.className = `form-status ${invalid ? "error" : "success"}`;
    this.status.textContent = summary;
    announce(`Import done: ${summary}`);
    this.table.hidden = results.length === 0;
    this.table.tBodies[0].replaceChildren(...results.map((r) => {
      const what = r.status === "invalid"
        ? `${r.field ? `${r.field}: ` : ""}${r.error ?? "invalid"}`
        : r.wallet ? `${r.wallet.label || shortAddress(r.wallet.address)} on ${chainName(r.wallet.chain)}` : `Wallet ${r.id ?? ""}`;
      return h("tr", { class: `import-row ${r.status}`, "data-status": r.status },
        h("th", { scope: "row" }, String(r.row)),
        h("td", { class: "import-status" }, STATUS_TEXT[r.status] ?? r.status),
        h("td", { class: "import-detail" }, what));
    }));
  }
}
