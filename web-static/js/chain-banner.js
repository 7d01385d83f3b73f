// The banner under the header that names each chain that is not ok, since when (in the
// viewer's time zone, and how long ago), why, and how old its balances are. Hidden while
// every chain is ok or the stream is not live.

import { h } from "./dom.js";
import { chainName, formatDateTime, relativeTime } from "./format.js";

const REFRESH_MS = 15000;
/** Long node errors are cut here; the whole text stays in the title. */
const ERROR_CHARS = 240;

const WHY = {
  not_read_yet: "not read yet since the server started",
  failing: "its last poll failed",
  stale: "no recent read",
  endpoint_unavailable: "one of its nodes is failing",
  no_endpoint_available: "every node is failing",
  no_good_read: "no good read for a while",
};

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** "14:03" today, a date and time otherwise, in the viewer's time zone. */
function when(date) {
  return date.toDateString() === new Date().toDateString() ? clock.format(date) : formatDateTime(date);
}

function timeElement(date) {
  return h("time", { datetime: date.toISOString(), title: formatDateTime(date) },
    `${when(date)} (${relativeTime(date)})`);
}

export class ChainBanner {
  constructor(chains) {
    this.chains = chains;
    this.root = document.getElementById("chain-problem");
    chains.addEventListener("change", () => this.render());
    setInterval(() => !this.root.hidden && this.render(), REFRESH_MS);
  }

  render() {
    const troubled = this.chains.troubled;
    this.root.hidden = troubled.length === 0;
    this.root.dataset.status = this.chains.worst;
    this.root.replaceChildren(...troubled.map((c) => this.line(c)));
  }

  line(c) {
    const parts = [h("strong", {}, chainName(c.chain)), ` is ${c.status}`];
    if (c.since) parts.push(" since ", timeElement(c.since));
    const why = WHY[c.reason];
    if (why) parts.push(`: ${why}`);
    parts.push(". ");
    parts.push(c.lastGoodRead ? h("span", {}, "Balances are as of ", timeElement(c.lastGoodRead), ".")
      : "Its balances may be out of date.");
    if (c.status !== "ok" && c.lastError && c.reason !== "not_read_yet") {
      const text = c.lastError.length > ERROR_CHARS ? `${c.lastError.slice(0, ERROR_CHARS)}…` : c.lastError;
      parts.push(" ", h("span", { class: "chain-error", title: c.lastError }, `Last error: ${text}`));
    }
    return h("p", { class: "chain-line", "data-chain": c.chain }, ...parts);
  }
}
