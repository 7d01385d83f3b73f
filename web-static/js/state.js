// What the page knows: wallets with their balances, from the stream's snapshot and diffs,
// plus USD values and per-chain freshness from GET /api/v1/portfolio. Totals are summed here
// exactly, in base units, so they move the moment a diff arrives.
//
// Emits "change" (detail: {reason}) after every update.

import { formatUnits } from "./format.js";

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
    this.usd = new Map(); // totalKey → number
    this.freshness = new Map(); // chain → Date of the last good read
  }

  changed(reason) {
    this.dispatchEvent(new CustomEvent("change", { detail: { reason } }));
  }

  /** A `portfolio` snapshot replaces everything held. */
  applySnapshot(data) {
    this.wallets.clear();
    for (const wallet of data.wallets ?? []) {
      const { balances = [], ...rest } = wallet;
      this.wallets.set(rest.id, {
        wallet: rest, read: balances.length > 0,
        balances: new Map(balances.map((b) => [assetKey(b.token), toBalance(b)])),
      });
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
      entry.balances.set(assetKey(c.token), {
        asset: c.asset, token: c.token ?? null, decimals: c.decimals, raw: String(c.raw_new),
        amount: String(c.new), block: c.block ?? null, updatedAt: c.at ? new Date(c.at) : null,
      });
    }
    this.changed("diff");
    return [...unknown];
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

  /** USD values and freshness from GET /api/v1/portfolio. */
  applyPortfolio(body) {
    this.usd.clear();
    for (const t of body.totals ?? []) {
      if (typeof t.usd === "number") this.usd.set(totalKey(t.chain, t.token), t.usd);
    }
    this.freshness.clear();
    for (const [chain, f] of Object.entries(body.freshness ?? {})) {
      if (f.last_success) this.freshness.set(chain, new Date(f.last_success));
    }
    this.changed("portfolio");
  }

  get priced() {
    return this.usd.size > 0;
  }

  /** Totals per chain and asset, summed in base units: [{chain, asset, token, amount, wallets, usd}]. */
  totals() {
    const sums = new Map();
    for (const { wallet, balances } of this.wallets.values()) {
      for (const b of balances.values()) {
        const key = totalKey(wallet.chain, b.token);
        const sum = sums.get(key) ?? {
          key, chain: wallet.chain, asset: b.asset, token: b.token, decimals: b.decimals, raw: 0n, wallets: 0,
        };
        const raw = BigInt(/^\d+$/.test(b.raw) ? b.raw : "0");
        sum.raw += raw;
        if (raw > 0n) sum.wallets += 1;
        sums.set(key, sum);
      }
    }
    return [...sums.values()]
      .map((s) => ({ ...s, amount: formatUnits(s.raw, s.decimals), usd: this.usd.get(s.key) ?? null }))
      .sort((a, b) => a.chain.localeCompare(b.chain) || (a.token ?? "").localeCompare(b.token ?? ""));
  }

  /** When the wallet's balances were last confirmed: its chain's last good read, or its newest balance. */
  freshnessOf(id) {
    const entry = this.wallets.get(id);
    if (!entry || !entry.read) return null;
    let newest = null;
    for (const b of entry.balances.values()) if (b.updatedAt && (!newest || b.updatedAt > newest)) newest = b.updatedAt;
    const chain = this.freshness.get(entry.wallet.chain) ?? null;
    if (chain && (!newest || chain > newest)) return chain;
    return newest;
  }
}
