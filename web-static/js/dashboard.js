// The dashboard of one signed-in user (or, where the server asks for no token, of the user it
// acts for): wires the stream, the REST API and the views together, from `start()` to `stop()`.
//
// Each run draws into a fresh copy of the page's pristine dashboard, so nothing one user saw
// stays in the page (not even hidden) after a sign-out, and the next user starts clean.

import { AlertsView } from "./alerts.js";
import { api, ApiError } from "./api.js";
import { ChainCatalog } from "./chains.js";
import { announce } from "./dom.js";
import { downloadCsv, exportButton } from "./export.js";
import { HoldingsControls } from "./holdings.js";
import { HistoryPanel } from "./history.js";
import { NotifySwitch } from "./notify.js";
import { PortfolioView } from "./portfolio.js";
import { PortfolioState } from "./state.js";
import { WalletForm } from "./wallet-form.js";
import { WalletImport } from "./wallet-import.js";
import { WalletsView } from "./wallets.js";
import { WebhooksView } from "./webhooks.js";

const PORTFOLIO_EVERY_MS = 15000;
const HISTORY_EVERY_MS = 60000;
const FRESHNESS_EVERY_MS = 5000;
const WEBHOOKS_EVERY_MS = 15000;
const ALERTS_EVERY_MS = 15000;

/** The dashboard as the HTML has it, before any run drew into it. */
let pristine = null;

/** A fresh, empty copy of the dashboard in place of the current one. */
function freshDashboard() {
  const current = document.getElementById("dashboard");
  pristine ??= current.cloneNode(true);
  const fresh = pristine.cloneNode(true);
  current.replaceWith(fresh);
  return fresh;
}

export class Dashboard {
  /** `stream`: the page's LiveStream; `me`: the answer of GET /api/v1/me; `token`: the one held, or null. */
  constructor({ stream, me, token }) {
    this.stream = stream;
    this.me = me;
    this.token = token;
    this.readOnly = me.scope === "read";
    this.active = false;
    this.timers = [];
    this.hadSnapshot = false;
    this.onFrame = (event) => this.frame(event.detail);
  }

  /** Debounces `task` to run `delay` ms after the last of a burst of calls, while running. */
  debounce(task, delay) {
    let timer = null;
    const run = () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.active && task(), delay);
    };
    this.timers.push(() => clearTimeout(timer));
    return run;
  }

  every(task, ms) {
    const id = setInterval(() => this.active && task(), ms);
    this.timers.push(() => clearInterval(id));
  }

  start() {
    this.active = true;
    freshDashboard().hidden = false;
    const state = (this.state = new PortfolioState());

    const note = document.getElementById("read-only-note");
    note.hidden = !this.readOnly;
    // A read token may not write (the server answers 403): the add form goes, the row actions are off.
    document.getElementById("add-wallet").hidden = this.readOnly;

    this.portfolioSoon = this.debounce(() => this.refreshPortfolio(), 800);
    this.historySoon = this.debounce(() => this.history.refresh(), 2500);
    this.syncWallets = this.debounce(async () => {
      try {
        state.syncWallets(await api.wallets());
        await this.readMissingBalances();
      } catch {
        // Retried after the next reconnect.
      }
    }, 300);

    // The chains' explorers and families, the holdings' sort, filter and grouping.
    const catalog = (this.catalog = new ChainCatalog());
    const controls = new HoldingsControls();
    const rerender = () => this.active && state.loaded && (this.portfolioView.render(), this.walletsView.render());
    controls.addEventListener("change", rerender);
    catalog.addEventListener("change", rerender);
    this.portfolioView = new PortfolioView(state, { catalog, controls });
    this.walletsView = new WalletsView(state, {
      refresh: async (id) => {
        const body = await api.fetchWallet(id);
        state.setBalances(id, body.balances);
        this.portfolioSoon();
      },
      relabel: async (id, label) => {
        state.addWallet(await api.relabelWallet(id, label));
      },
      remove: async (id) => {
        try {
          await api.deleteWallet(id);
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 404)) throw error;
        }
        state.removeWallet(id);
        this.historySoon();
      },
      exportHistory: (id, button) => downloadCsv(`/api/v1/wallets/${encodeURIComponent(id)}/history`, button).catch(() => {}),
    }, { readOnly: this.readOnly ? note.id : null, catalog });

    this.history = new HistoryPanel({
      load: (query) => api.history(query),
      earliest() {
        const times = [...state.wallets.values()].map((e) => new Date(e.wallet.created_at).getTime());
        return times.length ? new Date(Math.min(...times)) : null;
      },
    });

    this.form = new WalletForm({
      add: (body) => api.addWallet(body),
      onAdded: async (wallet) => {
        state.addWallet(wallet);
        // A wallet is read as soon as it is added; this read answers its balances, zero ones included.
        let problem = null;
        try {
          const body = await api.fetchWallet(wallet.id);
          state.setBalances(wallet.id, body.balances);
        } catch (error) {
          problem = error.message;
        }
        this.portfolioSoon();
        this.historySoon();
        return problem;
      },
      onExisting: (id) => this.walletsView.highlight(id),
      catalog,
    });

    document.getElementById("import-wallets").hidden = this.readOnly;
    this.importer = new WalletImport({
      send: (body, options) => api.importWallets(body, options),
      catalog,
      onImported: (wallets) => {
        for (const wallet of wallets) state.addWallet(wallet);
        setTimeout(() => this.active && this.readMissingBalances(), 1500);
        this.historySoon();
      },
    });
    exportButton(document.getElementById("export-holdings"), () => "/api/v1/portfolio");
    exportButton(document.getElementById("export-wallets"), () => "/api/v1/wallets");
    exportButton(document.getElementById("export-history"), () => {
      const { from, to, interval } = this.history.query();
      return `/api/v1/portfolio/history?${new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), interval })}`;
    });

    // Alert rules and the alerts they fire, with their own read-only note.
    this.alerts = new AlertsView(state, { readOnly: this.readOnly ? "alerts-read-only-note" : null });

    // Notifications: this browser's push switch and the webhooks, each with its own read-only note.
    document.getElementById("push-read-only-note").hidden = !this.readOnly;
    this.notify = new NotifySwitch({ readOnly: this.readOnly ? "push-read-only-note" : null });
    this.webhooks = new WebhooksView({ readOnly: this.readOnly ? "webhooks-read-only-note" : null });
    // Events are delivered shortly after they happen: the webhooks' state is read again then.
    this.webhooksSoon = this.debounce(() => this.webhooks.refresh(), 1500);

    // Views render once per burst of state changes.
    let renderQueued = false;
    state.addEventListener("change", () => {
      if (renderQueued) return;
      renderQueued = true;
      queueMicrotask(() => {
        renderQueued = false;
        if (!this.active) return;
        this.portfolioView.render();
        this.walletsView.render();
        this.alerts.walletsChanged();
        document.body.dataset.loaded = String(state.loaded);
      });
    });

    this.loadChains();
    this.alerts.start();
    this.notify.start();
    this.webhooks.start();
    this.stream.addEventListener("frame", this.onFrame);
    this.stream.start({ token: this.token });
    this.every(() => this.refreshPortfolio(), PORTFOLIO_EVERY_MS);
    this.every(() => this.history.refresh(), HISTORY_EVERY_MS);
    this.every(() => this.refreshDayAgo(), HISTORY_EVERY_MS);
    this.every(() => this.walletsView.tick(), FRESHNESS_EVERY_MS);
    this.every(() => this.alerts.tick(), FRESHNESS_EVERY_MS);
    this.every(() => this.webhooks.refresh(), WEBHOOKS_EVERY_MS);
    this.every(() => this.alerts.refresh(), ALERTS_EVERY_MS);
  }

  /** Closes the stream, stops every timer and empties the page of this user's data. */
  stop() {
    if (!this.active) return;
    this.active = false;
    this.stream.removeEventListener("frame", this.onFrame);
    this.stream.stop();
    for (const clear of this.timers) clear();
    this.timers = [];
    this.alerts.stop();
    this.notify.stop();
    this.webhooks.stop();
    delete document.body.dataset.loaded;
    freshDashboard().hidden = true;
  }

  frame(frame) {
    const { state } = this;
    if (["diff", "wallet_added", "wallets_added", "wallet_removed", "value", "alert"].includes(frame.type)) {
      this.webhooksSoon();
    }
    switch (frame.type) {
      case "snapshot":
        state.applySnapshot(frame.data);
        if (frame.reset && this.hadSnapshot) announce("The portfolio was reloaded from the server.");
        this.hadSnapshot = true;
        this.refreshPortfolio();
        this.refreshDayAgo();
        this.history.refresh();
        break;
      case "resumed":
        this.syncWallets();
        this.portfolioSoon();
        if (frame.replayed > 0) this.historySoon();
        break;
      case "diff":
        if (state.applyChanges(frame.changes ?? []).length) this.syncWallets();
        this.portfolioSoon();
        this.historySoon();
        break;
      case "wallet_added":
      case "wallets_added":
        for (const wallet of frame.wallets ?? [frame.wallet]) state.addWallet(wallet);
        // A wallet whose balances are all zero sends no diff: read what was stored for it.
        setTimeout(() => this.active && this.readMissingBalances(), 1500);
        break;
      case "value":
        state.applyValue(frame);
        this.historySoon();
        break;
      case "wallet_removed":
        state.removeWallet(frame.wallet_id);
        this.historySoon();
        break;
      case "alert":
        this.alerts.alertFired(frame);
        break;
      case "chain_status":
        state.applyChainStatus(frame);
        break;
    }
  }

  async refreshPortfolio() {
    try {
      const body = await api.portfolio();
      if (this.active) this.state.applyPortfolio(body);
    } catch {
      // The stream's state shows when the server is away; the next round tries again.
    }
  }

  /** The portfolio's USD value a day ago, for the headline's 24 h change. */
  async refreshDayAgo() {
    const to = new Date();
    const from = new Date(to.getTime() - 24 * 3600 * 1000);
    try {
      const body = await api.history({ from, to, interval: "hour" });
      if (!this.active) return;
      // The first bucket closes within an hour of 24 h ago; a portfolio worth nothing then has no change to show.
      const first = body.totals?.[0];
      this.state.setDayAgo(first && first.usd !== "0.00" ? first.usd : null);
    } catch {
      // The headline shows no change until the next round.
    }
  }

  /** Balances for wallets the page holds but has not seen read (added elsewhere, or while away). */
  async readMissingBalances() {
    for (const [id, entry] of this.state.wallets) {
      if (entry.read) continue;
      try {
        const body = await api.walletBalances(id);
        if (!this.active) return;
        this.state.setBalances(id, body.balances);
      } catch {
        // Removed meanwhile, or the server went away: the stream will tell.
      }
    }
  }

  async loadChains() {
    try {
      const [health, chains] = await Promise.all([api.health(), api.chains()]);
      if (!this.active) return;
      this.catalog.set(chains);
      if (this.catalog.names.length) this.form.setChains(this.catalog.names);
      document.getElementById("version").textContent = health.version ? `v${health.version}` : "";
    } catch {
      const retry = setTimeout(() => this.active && this.loadChains(), 5000);
      this.timers.push(() => clearTimeout(retry));
    }
  }
}
