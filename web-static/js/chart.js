// A step line chart in SVG: time along x, one series along y, with axes, a hover and keyboard
// cursor (arrow keys, Home, End) and a tooltip that states the exact value.
//
// Points are {t: Date, y: Number (for drawing only), text: String (what the tooltip says)}.

const SVG = "http://www.w3.org/2000/svg";
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const TIME_STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY];

function svg(tag, attributes = {}, text = null) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== null) element.textContent = text;
  return element;
}

/** Round tick values from 0 to at least `max`. */
export function niceTicks(max, count = 4) {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks = [];
  for (let i = 0; ticks.length === 0 || ticks[ticks.length - 1] < max - step * 1e-9; i += 1) ticks.push(i * step);
  return ticks;
}

const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumSignificantDigits: 3 });

function tickLabel(value) {
  if (value === 0) return "0";
  if (Math.abs(value) >= 1) return compact.format(value);
  return String(Number(value.toPrecision(2)));
}

export class LineChart {
  static count = 0;

  constructor(container, { label }) {
    this.container = container;
    this.data = null;
    this.index = -1;
    this.frame = document.createElement("div");
    this.frame.className = "chart-frame";
    this.frame.tabIndex = 0;
    this.frame.setAttribute("role", "group");
    this.frame.setAttribute("aria-label", label);
    this.tooltip = document.createElement("div");
    this.tooltip.className = "chart-tooltip";
    this.tooltip.setAttribute("role", "status");
    this.tooltip.hidden = true;
    // The description is read with the chart; aria-describedby, since aria-description is not
    // yet part of ARIA 1.2.
    this.description = document.createElement("p");
    this.description.className = "sr-only";
    this.description.id = `chart-description-${++LineChart.count}`;
    this.frame.setAttribute("aria-describedby", this.description.id);
    this.container.replaceChildren(this.frame, this.tooltip, this.description);
    this.frame.addEventListener("keydown", (event) => this.key(event));
    this.frame.addEventListener("focus", () => this.data && this.select(this.index >= 0 ? this.index : this.data.points.length - 1));
    this.frame.addEventListener("blur", () => this.hideCursor());
    this.frame.addEventListener("pointermove", (event) => this.pointer(event));
    this.frame.addEventListener("pointerleave", () => document.activeElement !== this.frame && this.hideCursor());
    new ResizeObserver(() => this.data && this.draw()).observe(this.container);
  }

  /** `points` oldest first; `unit` follows values in the tooltip; `timeFormat` labels the x axis. */
  render({ points, unit, stepMs, description }) {
    this.data = { points, unit, stepMs };
    this.index = Math.min(this.index, points.length - 1);
    this.description.textContent = `${description} Use the arrow keys to read each value.`;
    this.draw();
  }

  draw() {
    const { points, stepMs } = this.data;
    const width = Math.max(240, Math.floor(this.container.clientWidth));
    const height = width < 480 ? 180 : 240;
    const max = Math.max(...points.map((p) => p.y));
    const ticks = niceTicks(max);
    const top = ticks[ticks.length - 1] || 1;
    const labels = ticks.map(tickLabel);
    const left = 12 + 7 * Math.max(...labels.map((l) => l.length));
    const margin = { top: 12, right: 16, bottom: 28, left };
    const first = points[0].t.getTime();
    // The axis ends where the last bucket ends, so its value gets a step of its own.
    const last = points[points.length - 1].t.getTime() + stepMs;
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    const x = (t) => margin.left + ((t - first) / (last - first || 1)) * plotW;
    const y = (v) => margin.top + plotH - (v / top) * plotH;
    this.geometry = { x, y, first, last, margin, plotW };

    const root = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "chart-svg", "aria-hidden": "true" });
    const grid = svg("g", { class: "grid" });
    ticks.forEach((tick, i) => {
      const ty = y(tick);
      grid.append(svg("line", { x1: margin.left, x2: width - margin.right, y1: ty, y2: ty }));
      grid.append(svg("text", { x: margin.left - 8, y: ty, "text-anchor": "end", "dominant-baseline": "middle", class: "tick" }, labels[i]));
    });
    root.append(grid);
    root.append(this.timeAxis(first, last, x, height - margin.bottom, plotW));

    // A balance holds until the next bucket: draw steps, and carry the last one to the edge.
    let path = "";
    points.forEach((p, i) => {
      const px = x(p.t.getTime());
      const py = y(p.y);
      path += i === 0 ? `M${px},${py}` : `H${px}V${py}`;
    });
    path += `H${x(last)}`;
    const baseline = y(0);
    root.append(svg("path", { d: `${path}V${baseline}H${x(first)}Z`, class: "area" }));
    root.append(svg("path", { d: path, class: "line" }));
    this.cursorLine = svg("line", { class: "cursor", y1: margin.top, y2: baseline, visibility: "hidden" });
    this.cursorDot = svg("circle", { class: "cursor-dot", r: 4, visibility: "hidden" });
    root.append(this.cursorLine, this.cursorDot);
    this.frame.replaceChildren(root);
    if (this.index >= 0 && !this.tooltip.hidden) this.select(this.index);
  }

  timeAxis(first, last, x, baseline, plotW) {
    const axis = svg("g", { class: "axis" });
    axis.append(svg("line", { x1: x(first), x2: x(last), y1: baseline, y2: baseline }));
    const span = last - first;
    const step = TIME_STEPS.find((s) => span / s <= Math.max(2, Math.floor(plotW / 90))) ?? 365 * DAY;
    const withTime = step < DAY;
    const format = new Intl.DateTimeFormat(undefined, withTime ? { hour: "2-digit", minute: "2-digit" } : { month: "short", day: "numeric" });
    const offset = new Date(first).getTimezoneOffset() * 60 * 1000;
    let tick = Math.ceil((first - offset) / step) * step + offset;
    if (step >= 30 * DAY) tick = first;
    for (; tick <= last; tick += step) {
      const tx = x(tick);
      axis.append(svg("line", { x1: tx, x2: tx, y1: baseline, y2: baseline + 4 }));
      // A label at either end of the axis would be cut in half by the chart's edge.
      const anchor = tx - x(first) < 40 ? "start" : x(last) - tx < 40 ? "end" : "middle";
      axis.append(svg("text", { x: tx, y: baseline + 18, "text-anchor": anchor, class: "tick" }, format.format(new Date(tick))));
    }
    return axis;
  }

  key(event) {
    if (!this.data) return;
    const n = this.data.points.length;
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowDown: -1, ArrowUp: 1, Home: -n, End: n, PageUp: 10, PageDown: -10 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const from = this.index >= 0 ? this.index : n - 1;
    this.select(Math.max(0, Math.min(n - 1, from + moves[event.key])));
  }

  pointer(event) {
    if (!this.data || !this.geometry) return;
    const { first, last, margin, plotW } = this.geometry;
    const box = this.frame.getBoundingClientRect();
    const t = first + ((event.clientX - box.left - margin.left) / plotW) * (last - first);
    const points = this.data.points;
    let index = 0;
    while (index + 1 < points.length && points[index + 1].t.getTime() <= t) index += 1;
    this.select(index);
  }

  select(index) {
    const point = this.data?.points[index];
    if (!point) return;
    this.index = index;
    const { x, y } = this.geometry;
    const px = x(point.t.getTime());
    const py = y(point.y);
    for (const [name, value] of [["x1", px], ["x2", px]]) this.cursorLine.setAttribute(name, value);
    this.cursorLine.setAttribute("visibility", "visible");
    this.cursorDot.setAttribute("cx", px);
    this.cursorDot.setAttribute("cy", py);
    this.cursorDot.setAttribute("visibility", "visible");
    const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(point.t);
    this.tooltip.textContent = `${when}: ${point.text}${this.data.unit ? ` ${this.data.unit}` : ""}`;
    this.tooltip.hidden = false;
    const width = this.container.clientWidth;
    const tipWidth = this.tooltip.offsetWidth;
    this.tooltip.style.left = `${Math.max(0, Math.min(width - tipWidth, px - tipWidth / 2))}px`;
    this.tooltip.style.top = `${Math.max(0, py - 44)}px`;
  }

  hideCursor() {
    this.tooltip.hidden = true;
    this.cursorLine?.setAttribute("visibility", "hidden");
    this.cursorDot?.setAttribute("visibility", "hidden");
  }
}
