// What the page knows: wallets with their balances and each asset's price, from the stream's
// snapshot, diffs and value frames, plus per-chain freshness from GET /api/v1/portfolio and
// per-chain health from the stream's chain_status frames.
// Totals and their USD values are summed here exactly (base units and micro-dollars, as the
// server does), so they move the moment a frame arrives.
//
// Emits "change" (detail: {reason}) after every update.

import { formatUnits } from "./format.js";
import { parseUsd, valueMicros } from "./money.js";

export const assetKey = (token) => token ?? "";
export const totalKey = (chain, token) => `${chain}|${token ?? ""}`;

function toBalance(b) {
  return {
    asset: b.asset, token: b.token ?? null, decimals: b.decimals, raw: String(b.raw),
    amount: String(b.amount), block: b.block ?? null, updatedAt: b.updated_at ? new Date(b.updated_at) : null,
  };
}

export class PortfolioState extends EventTarget {
  constructor() {
    super();
    /** id → {wallet, balances: Map<assetKey, balance>, read: boolean} */
    this.wallets = new Map();
    this.loaded = false;
    this.prices = new Map(); // totalKey → {price, source, at}
    this.dayAgo = null; // the portfolio's USD value 24 h ago, in micro-dollars
    this.freshness = new Map(); // chain → Date of the last full read
    this.chainHealth = new Map(); // chain → {status, lastGoodRead: Date|null}
  }

  changed(reason) {
    this.dispatchEvent(new CustomEvent("change", { detail: { reason } }));
  }

  /** Remembers the price an entry carries (a balance, a change, a total or a value frame's move). */
  notePrice(chain, entry) {
    const key = totalKey(chain, entry.token);
    if (typeof entry.price === "string") {
      this.prices.set(key, { price: entry.price, source: entry.price_source, at: entry.price_at });
    } else if (entry.price === null && "price_source" in entry) {
      this.prices.delete(key);
    }
  }

  /** A `portfolio` snapshot replaces everything held. */
  applySnapshot(data) {
    this.wallets.clear();
    this.prices.clear();
    for (const wallet of data.wallets ?? []) {
      const { balances = [], ...rest } = wallet;
      this.wallets.set(rest.id, {
        wallet: rest, read: balances.length > 0,
        balances: new Map(balances.map((b) => [assetKey(b.token), toBalance(b)])),
      });
      for (const b of balances) this.notePrice(rest.chain, b);
    }
    this.loaded = true;
    this.changed("snapshot");
  }

  /** Applies a diff's changes; unknown wallets are returned so their details can be read. */
  applyChanges(changes) {
    const unknown = new Set();
    for (const c of changes) {
      const entry = this.wallets.get(c.wallet);
      if (!entry) {
        unknown.add(c.wallet);
        continue;
      }
      entry.read = true;
      // A change carries its asset's price when it happened: the current one for a live diff
      // (a replay is followed by a value frame or a portfolio read that sets today's).
      if (typeof c.price === "string") this.notePrice(c.chain, c);
      entry.balances.set(assetKey(c.token), {
        asset: c.asset, token: c.token ?? null, decimals: c.decimals, raw: String(c.raw_new),
        amount: String(c.new), block: c.block ?? null, updatedAt: c.at ? new Date(c.at) : null,
      });
    }
    this.changed("diff");
    return [...unknown];
  }

  /** A `value` frame: prices moved (or lapsed, with `price` null). */
  applyValue(frame) {
    for (const p of frame.prices ?? []) this.notePrice(p.chain, p);
    for (const t of frame.totals ?? []) this.notePrice(t.chain, t);
    this.changed("value");
  }

  addWallet(wallet) {
    if (this.wallets.has(wallet.id)) {
      this.wallets.get(wallet.id).wallet = wallet;
    } else {
      this.wallets.set(wallet.id, { wallet, balances: new Map(), read: false });
    }
    this.changed("wallet");
  }

  removeWallet(id) {
    if (this.wallets.delete(id)) this.changed("wallet");
  }

  /** Keeps exactly these wallets (after a reconnect, since adds and removals are not replayed). */
  syncWallets(list) {
    const ids = new Set(list.map((w) => w.id));
    for (const id of [...this.wallets.keys()]) if (!ids.has(id)) this.wallets.delete(id);
    for (const wallet of list) {
      const entry = this.wallets.get(wallet.id);
      if (entry) entry.wallet = wallet;
      else this.wallets.set(wallet.id, { wallet, balances: new Map(), read: false });
    }
    this.changed("wallet");
  }

  /** Balances from REST (fetch or balances), which include zero balances the stream never sends. */
  setBalances(id, balances) {
    const entry = this.wallets.get(id);
    if (!entry) return;
    for (const b of balances) entry.balances.set(assetKey(b.token), toBalance(b));
    entry.read = true;
    this.changed("balances");
  }

  /** Current prices and freshness from GET /api/v1/portfolio. */
  applyPortfolio(body) {
    this.prices.clear();
    for (const t of body.totals ?? []) this.notePrice(t.chain, t);
    this.freshness.clear();
    for (const [chain, f] of Object.entries(body.freshness ?? {})) {
      if (f.last_success) this.freshness.set(chain, new Date(f.last_success));
    }
    this.changed("portfolio");
  }

  /** A `chain_status` frame: the chain's health, and when it was last read well. */
  applyChainStatus(frame) {
    if (typeof frame.chain !== "string") return;
    const read = typeof frame.last_good_read === "string" ? new Date(frame.last_good_read) : null;
    this.chainHealth.set(frame.chain, {
      status: typeof frame.status === "string" ? frame.status : "degraded",
      lastGoodRead: read && !Number.isNaN(read.getTime()) ? read : null,
    });
    this.changed("chain");
  }

  /** The chain's status when it is not ok ("degraded", "down"), else null. */
  chainTrouble(chain) {
    const status = this.chainHealth.get(chain)?.status;
    return status && status !== "ok" ? status : null;
  }

  get priced() {
    return this.prices.size > 0;
  }

  /** The USD value 24 h ago from the history's totals (text), or null. */
  setDayAgo(text) {
    const micros = parseUsd(text);
    if (micros === this.dayAgo) return;
    this.dayAgo = micros;
    this.changed("history");
  }

  /**
   * Totals per chain and asset, summed in base units, each valued once in micro-dollars:
   * [{chain, asset, token, amount, wallets, usd, price}].
   * `usd` is null for an asset without a price.
   */
  totals() {
    const sums = new Map();
    for (const { wallet, balances } of this.wallets.values()) {
      for (const b of balances.values()) {
        const key = totalKey(wallet.chain, b.token);
        const price = this.prices.get(key) ?? null;
        const sum = sums.get(key) ?? {
          key, chain: wallet.chain, asset: b.asset, token: b.token, decimals: b.decimals, raw: 0n, wallets: 0,
          price,
        };
        const raw = BigInt(/^\d+$/.test(b.raw) ? b.raw : "0");
        sum.raw += raw;
        if (raw > 0n) sum.wallets += 1;
        sums.set(key, sum);
      }
    }
    // Each asset's total is valued once, as the server does, so the figures match its own.
    return [...sums.values()]
      .map((s) => ({
        ...s, amount: formatUnits(s.raw, s.decimals),
        usd: s.price ? valueMicros(s.raw, s.decimals, s.price.price) ?? 0n : null,
      }))
      .sort((a, b) => a.chain.localeCompare(b.chain) || (a.token ?? "").localeCompare(b.token ?? ""));
  }

  /** A read wallet's USD value (micro-dollars) and how many of its holdings have no price; null when nothing is priced. */
  walletValue(id) {
    const entry = this.wallets.get(id);
    if (!entry || !entry.read || !this.priced) return null;
    let usd = 0n;
    let unpriced = 0;
    for (const b of entry.balances.values()) {
      const raw = BigInt(/^\d+$/.test(b.raw) ? b.raw : "0");
      const price = this.prices.get(totalKey(entry.wallet.chain, b.token));
      if (price) usd += valueMicros(raw, b.decimals, price.price) ?? 0n;
      else if (raw > 0n) unpriced += 1;
    }
    return { usd, unpriced };
  }

  /** When the wallet's balances were last confirmed: its chain's last good read, or its newest balance. */
  freshnessOf(id) {
    const entry = this.wallets.get(id);
    if (!entry || !entry.read) return null;
    let newest = null;
    for (const b of entry.balances.values()) if (b.updatedAt && (!newest || b.updatedAt > newest)) newest = b.updatedAt;
    // A head check that found nothing new confirms the balances as much as a full read does.
    for (const chain of [this.freshness.get(entry.wallet.chain), this.chainHealth.get(entry.wallet.chain)?.lastGoodRead]) {
      if (chain && (!newest || chain > newest)) newest = chain;
    }
    return newest;
  }
}
