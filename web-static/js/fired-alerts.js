// The latest alerts fired, newest first: read from the server when the page opens, then from
// the stream's `alert` frames (a resume replays the ones missed while away; each is shown once).

import { announce, h, reconcile, timeElement } from "./dom.js";

const KEEP = 20;

export class FiredAlerts {
  /** `ruleName(id)`: what the rule of that id is called, or null when it is gone. */
  constructor({ ruleName }) {
    this.ruleName = ruleName;
    this.alerts = [];
    this.list = document.getElementById("fired-list");
    this.empty = document.getElementById("fired-empty");
  }

  /** An `alert` frame: {seq, alert: {rule_id, title, message, data, at}}. */
  add(frame) {
    if (!frame.alert || this.alerts.some((a) => a.seq === frame.seq)) return false;
    this.alerts = [{ seq: frame.seq, ...frame.alert }, ...this.alerts]
      .sort((a, b) => b.seq - a.seq)
      .slice(0, KEEP);
    this.render();
    announce(`Alert: ${frame.alert.title}`);
    return true;
  }

  /** Alerts read from `/api/v1/alert-events` ({seq, rule_id, title, message, details, at}), without
   * announcing them: they are not news. */
  load(fired) {
    const known = new Set(this.alerts.map((a) => a.seq));
    const read = fired.filter((a) => !known.has(a.seq)).map(({ details, ...rest }) => ({ ...rest, data: details }));
    this.alerts = [...this.alerts, ...read].sort((a, b) => b.seq - a.seq).slice(0, KEEP);
    this.render();
  }

  /** When the rule of `id` last fired, as far as this list knows, or null. */
  lastFired(id) {
    return this.alerts.find((a) => a.rule_id === id)?.at ?? null;
  }

  render() {
    this.list.hidden = this.alerts.length === 0;
    this.empty.hidden = this.alerts.length > 0;
    reconcile(this.list, this.alerts, (a) => a.seq, () => FiredAlerts.createItem(), (item, a) => this.updateItem(item, a));
  }

  static createItem() {
    return h("li", { class: "fired" },
      h("div", { class: "fired-head" }, h("strong", { class: "fired-title" }), h("span", { class: "fired-at" })),
      h("p", { class: "fired-message" }),
      h("p", { class: "fired-rule muted" }));
  }

  updateItem(item, alert) {
    item.querySelector(".fired-title").textContent = alert.title;
    item.querySelector(".fired-at").replaceChildren(timeElement(alert.at));
    item.querySelector(".fired-message").textContent = alert.message;
    const rule = this.ruleName(alert.rule_id);
    item.querySelector(".fired-rule").textContent = rule ? `Rule: ${rule}` : "Rule: deleted since";
  }
}
