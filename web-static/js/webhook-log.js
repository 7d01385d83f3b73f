// One webhook's delivery log: the latest attempts, newest first, and per attempt "Resend from
// here", which moves the webhook back to that event so that it and every later one are sent
// again, in order, under their first message ids (the receiver can tell them apart from new
// events). Resending asks first; under a read-only token the buttons are off.

import { api } from "./api.js";
import { h, timeElement } from "./dom.js";

export const EVENT_TYPES = [
  ["balance.changed", "Balance changes"],
  ["value.changed", "Value moves"],
  ["wallet.added", "Wallet added"],
  ["wallet.removed", "Wallet removed"],
  ["alert.triggered", "Alerts"],
];
const EVENT_NAME = Object.fromEntries([...EVENT_TYPES, ["ping", "Test (ping)"]]);
const LOG_SIZE = 20;

export const eventName = (type) => EVENT_NAME[type] ?? type;

export class DeliveryLog {
  /**
   * `id`: the webhook's; `name()`: what it is called now; `readOnly`: the id of the note saying
   * why writing is off, or null; `active()`: whether the panel still runs; `onResent(hook, seq)`:
   * the webhook as the server answered a resend.
   */
  constructor({ id, name, readOnly, active, onResent }) {
    this.id = id;
    this.name = name;
    this.readOnly = readOnly;
    this.active = active;
    this.onResent = onResent;
    this.body = h("div", { class: "hook-log-body" }, h("p", { class: "muted log-note" }, "Loading…"));
    this.confirmSlot = h("div", { class: "resend-slot" });
    this.status = h("p", { class: "hook-message resend-status", role: "status" });
    this.element = h("details", { class: "hook-log", id: `hook-log-${id}` },
      h("summary", {}, "Delivery log"), this.body, this.confirmSlot, this.status);
    this.element.addEventListener("toggle", () => {
      if (this.element.open) this.load();
    });
  }

  get open() {
    return this.element.open;
  }

  /** Labels the log for its webhook's current name. */
  update() {
    this.element.querySelector("summary").setAttribute("aria-label", `Delivery log of ${this.name()}`);
  }

  say(text, kind = "info") {
    this.status.textContent = text;
    this.status.dataset.kind = kind;
  }

  async load() {
    let deliveries;
    try {
      ({ deliveries } = await api.webhookDeliveries(this.id, LOG_SIZE));
    } catch (error) {
      this.body.replaceChildren(h("p", { class: "field-error" }, `The log could not be read: ${error.message}`));
      return;
    }
    if (!this.active()) return;
    if (deliveries.length === 0) {
      this.body.replaceChildren(h("p", { class: "muted log-note" },
        "No attempts yet. Events are sent as they happen; tests are not logged."));
      return;
    }
    // The table is drawn anew: a resend button that had focus keeps it in its new row.
    const focused = this.body.contains(document.activeElement) ? document.activeElement.dataset.seq : null;
    this.body.replaceChildren(h("div", { class: "table-scroll log-scroll" },
      h("table", { class: "log-table" },
        h("caption", { class: "sr-only" }, `Latest delivery attempts to ${this.name()}, newest first`),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "Time"), h("th", { scope: "col" }, "Event"),
          h("th", { scope: "col", class: "num" }, "Status"), h("th", { scope: "col", class: "num" }, "Latency"),
          h("th", { scope: "col" }, "Error"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))),
        h("tbody", {}, deliveries.map((d) => this.row(d))))),
      h("p", { class: "muted log-note" }, `The latest ${LOG_SIZE} attempts at most, newest first.`));
    if (focused) this.body.querySelector(`.resend[data-seq="${focused}"]`)?.focus();
  }

  row(d) {
    const ok = d.status !== null && d.status >= 200 && d.status < 300;
    const problem = d.error ?? (ok ? "" : (d.response ?? "").slice(0, 120));
    const off = this.readOnly ? { disabled: true, "aria-describedby": this.readOnly } : {};
    return h("tr", { class: ok ? "ok" : "failed", dataset: { seq: String(d.seq) } },
      h("td", { "data-label": "Time" }, timeElement(d.attempted_at)),
      h("td", { "data-label": "Event" }, eventName(d.event_type), h("span", { class: "muted" }, ` #${d.seq}`),
        d.attempt > 1 ? h("span", { class: "muted" }, `, attempt ${d.attempt}`) : null),
      h("td", { class: "num status", "data-label": "Status" }, d.status === null ? "No answer" : String(d.status)),
      h("td", { class: "num", "data-label": "Latency" }, `${d.latency_ms} ms`),
      h("td", { class: "log-error", "data-label": "Error" }, problem),
      h("td", { class: "log-action" }, h("button", {
        type: "button", class: "resend", dataset: { seq: String(d.seq) },
        "aria-label": `Resend from event #${d.seq} on`, onclick: (event) => this.confirmResend(d, event.currentTarget),
        ...off,
      }, "Resend from here")));
  }

  /** Asks before sending again: the endpoint gets every event from `d.seq` on a second time. */
  confirmResend(d, button) {
    if (this.readOnly) return;
    const back = () => {
      this.confirmSlot.replaceChildren();
      const again = this.body.querySelector(`.resend[data-seq="${d.seq}"]`) ?? button;
      if (again.isConnected) again.focus();
    };
    const yes = h("button", { type: "button", class: "primary confirm-resend" }, "Resend");
    const confirm = h("div", { class: "confirm resend-confirm", role: "group", "aria-label": "Confirm resending" },
      h("span", {}, `Send event #${d.seq} (${eventName(d.event_type)}) and every later one to ${this.name()} again? `
        + "Each goes under its first message id."), " ",
      yes, h("button", { type: "button", class: "confirm-cancel", onclick: back }, "Cancel"));
    confirm.addEventListener("keydown", (event) => {
      if (event.key === "Escape") back();
    });
    yes.addEventListener("click", () => this.resend(d.seq, yes, back));
    this.confirmSlot.replaceChildren(confirm);
    this.say("");
    yes.focus();
  }

  async resend(seq, yes, back) {
    yes.disabled = true;
    let hook;
    try {
      hook = await api.redeliverWebhook(this.id, seq);
    } catch (error) {
      back();
      this.say(`Nothing was resent: ${error.message}`, "error");
      return;
    }
    back();
    this.say(`Resending from #${seq}: that event and every later one are sent again, in order.`, "success");
    this.onResent(hook, seq);
  }
}
