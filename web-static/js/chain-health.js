// Each chain's health as the stream's `chain_status` frames tell it (docs/stream.md): ok,
// degraded or down, since when, and why. The server sends every chain's state when the page
// subscribes, then each change; nothing is known while the stream is not live.
//
// Emits "change" after every update.

const STATUSES = new Set(["ok", "degraded", "down"]);

/** A frame's time, or null when it carries none (or nonsense). */
function parseTime(text) {
  if (typeof text !== "string") return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

export class ChainHealth extends EventTarget {
  constructor(stream) {
    super();
    /** chain → {chain, status, reason, since, lastGoodRead, lastError} */
    this.chains = new Map();
    stream.addEventListener("frame", (event) => {
      if (event.detail?.type === "chain_status") this.apply(event.detail);
    });
    // States from a connection that ended are not current: the next one sends them again.
    stream.addEventListener("state", (event) => {
      if (event.detail.state !== "live" && this.chains.size) {
        this.chains.clear();
        this.changed();
      }
    });
  }

  changed() {
    this.dispatchEvent(new CustomEvent("change"));
  }

  apply(frame) {
    if (typeof frame.chain !== "string" || !frame.chain) return;
    // A status this page does not know is trouble of some kind, never "ok".
    const status = STATUSES.has(frame.status) ? frame.status : "degraded";
    this.chains.set(frame.chain, {
      chain: frame.chain, status, reason: typeof frame.reason === "string" ? frame.reason : null,
      since: parseTime(frame.since), lastGoodRead: parseTime(frame.last_good_read),
      lastError: typeof frame.last_error === "string" ? frame.last_error : null,
    });
    this.changed();
  }

  statusOf(chain) {
    return this.chains.get(chain)?.status ?? null;
  }

  /** Chains that are not ok: down ones first, then by name. */
  get troubled() {
    const rank = { down: 0, degraded: 1 };
    return [...this.chains.values()]
      .filter((c) => c.status !== "ok")
      .sort((a, b) => rank[a.status] - rank[b.status] || a.chain.localeCompare(b.chain));
  }

  /** "ok", "degraded" or "down": the worst of all chains ("ok" when none is known). */
  get worst() {
    return this.troubled[0]?.status ?? "ok";
  }
}
