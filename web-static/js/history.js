// The history panel: GET /api/v1/portfolio/history for 24h, 7d, 30d, a year or everything, drawn as
// portfolio value in USD when prices exist, else one asset's balance at a time.

import { LineChart } from "./chart.js";
import { h } from "./dom.js";
import { chainName, displayAmount } from "./format.js";
import { formatMicros, parseUsd } from "./money.js";

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const RANGES = {
  "24h": { span: DAY, interval: "hour", words: "the last 24 hours" },
  "7d": { span: 7 * DAY, interval: "hour", words: "the last 7 days" },
  "30d": { span: 30 * DAY, interval: "day", words: "the last 30 days" },
  "1y": { span: 365 * DAY, interval: "day", words: "the last year" },
  all: { span: null, interval: null, words: "all time" },
};
/** Table rows shown at most (only the buckets where the value moved are listed). */
const TABLE_LIMIT = 200;

export class HistoryPanel {
  /** `load(query)` fetches a history answer; `earliest()` is the oldest wallet's creation time. */
  constructor({ load, earliest }) {
    this.load = load;
    this.earliest = earliest;
    this.section = document.getElementById("history");
    this.select = document.getElementById("history-series");
    this.summary = document.getElementById("history-summary");
    this.empty = document.getElementById("history-empty");
    this.tableBody = document.querySelector("#history-table tbody");
    this.details = document.getElementById("history-details");
    this.chart = new LineChart(document.getElementById("chart"), { label: "History chart" });
    this.range = "24h";
    this.series = [];
    this.chosen = null;
    this.request = 0;
    for (const radio of this.section.querySelectorAll("input[name=range]")) {
      radio.addEventListener("change", () => {
        this.range = radio.value;
        this.refresh();
      });
    }
    this.select.addEventListener("change", () => {
      this.chosen = this.select.value;
      this.draw();
    });
  }

  query() {
    const to = new Date();
    const range = RANGES[this.range];
    if (range.span) return { from: new Date(to - range.span), to, interval: range.interval };
    const earliest = this.earliest() ?? new Date(to - DAY);
    const from = new Date(Math.min(earliest.getTime(), to - HOUR));
    return { from, to, interval: to - from <= 14 * DAY ? "hour" : "day" };
  }

  async refresh() {
    const ticket = ++this.request;
    this.section.setAttribute("aria-busy", "true");
    try {
      const query = this.query();
      const body = await this.load(query);
      if (ticket !== this.request) return;
      this.stepMs = query.interval === "day" ? DAY : HOUR;
      this.series = HistoryPanel.seriesOf(body).map((s) => ({ ...s, points: this.tracked(s) }));
      this.message = null;
    } catch (error) {
      if (ticket !== this.request) return;
      // Keep what is drawn when a refresh fails; say so only when there is nothing to show.
      if (this.series.length) return;
      this.message = `History could not be read: ${error.message}`;
    } finally {
      if (ticket === this.request) this.section.setAttribute("aria-busy", "false");
    }
    this.draw();
  }

  /**
   * A series' points from when tracking began: buckets that closed before the first wallet was
   * added, and the empty ones leading up to the first holding, are not drawn as zeros.
   */
  tracked(series) {
    const earliest = this.earliest();
    const start = earliest ? earliest.getTime() - this.stepMs : -Infinity;
    const points = series.points;
    let first = points.findIndex((p) => p.t.getTime() >= start && (series.usd ? p.usd !== 0n : p.raw !== 0n));
    if (first < 0) first = points.findIndex((p) => p.t.getTime() >= start);
    return first < 0 ? [] : points.slice(first);
  }

  /** The answer's per-asset series, led by the portfolio's USD value when any point is priced. */
  static seriesOf(body) {
    const list = (body.series ?? []).map((s) => ({
      key: `${s.chain}|${s.token ?? ""}`,
      name: `${s.asset} on ${chainName(s.chain)}`,
      unit: s.asset,
      points: s.points.map((p) => ({ t: new Date(p.t), amount: String(p.amount), raw: BigInt(p.raw), usd: parseUsd(p.usd) })),
    }));
    const priced = list.some((s) => s.points.some((p) => p.usd !== null));
    if (!priced || list.length === 0) return list;
    // The server's own sums per bucket: exact, and the same figures the API answers.
    const value = (body.totals ?? []).map((p) => ({ t: new Date(p.t), usd: parseUsd(p.usd) ?? 0n, amount: null, raw: null }));
    return [{ key: "usd", name: "Portfolio value (USD)", unit: "", points: value, usd: true }, ...list];
  }

  draw() {
    const series = this.series;
    const options = series.map((s) => h("option", { value: s.key }, s.name));
    this.select.replaceChildren(...options);
    this.select.disabled = series.length < 2;
    const fallback = series.find((s) => s.usd) ?? series.find((s) => s.points.at(-1)?.raw > 0n) ?? series[0];
    const current = series.find((s) => s.key === this.chosen) ?? fallback;
    const hasData = Boolean(current && current.points.length);
    this.empty.hidden = hasData;
    this.empty.textContent = this.message ?? "No history yet. It starts when the first wallet is read.";
    this.chart.container.hidden = !hasData;
    this.details.hidden = !hasData;
    this.select.closest(".series-picker").hidden = !hasData;
    if (!hasData) {
      this.summary.textContent = "";
      this.tableBody.replaceChildren();
      this.section.dataset.series = "";
      return;
    }
    this.select.value = current.key;
    this.section.dataset.series = current.key;
    const text = (p) => (current.usd ? formatMicros(p.usd) : p.amount);
    // Plotting needs numbers; the text beside each point stays exact.
    const points = current.points.map((p) => ({ t: p.t, y: current.usd ? Number(p.usd) / 1e6 : Number(p.amount), text: text(p) }));
    const words = RANGES[this.range].words;
    const summary = this.describe(current, text, words);
    this.summary.textContent = summary;
    this.chart.render({ points, unit: current.unit, stepMs: this.stepMs, description: summary });
    this.fillTable(current, text);
  }

  describe(series, text, words) {
    const points = series.points;
    const first = points[0];
    const last = points.at(-1);
    let high = first;
    for (const p of points) if (series.usd ? p.usd > high.usd : p.raw > high.raw) high = p;
    const unit = series.unit ? ` ${series.unit}` : "";
    const shown = (p) => (series.usd ? text(p) : displayAmount(p.amount).text);
    return `${series.name}, ${words}: from ${shown(first)}${unit} to ${shown(last)}${unit}; highest ${shown(high)}${unit}.`;
  }

  fillTable(series, text) {
    const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
    const rows = [];
    let previous = null;
    for (const p of series.points) {
      const value = text(p);
      if (value !== previous) rows.push(h("tr", {}, h("th", { scope: "row" }, format.format(p.t)), h("td", { class: "num" }, value)));
      previous = value;
    }
    const shown = rows.slice(-TABLE_LIMIT);
    document.getElementById("history-table-unit").textContent = series.usd ? "Value (USD)" : `Balance (${series.unit})`;
    this.tableBody.replaceChildren(...shown);
  }
}
