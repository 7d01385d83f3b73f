// The dashboard's controller: wires the stream, the REST API and the views together.

import { api, ApiError } from "./api.js";
import { ConnectionView } from "./connection.js";
import { announce } from "./dom.js";
import { HistoryPanel } from "./history.js";
import { PortfolioView } from "./portfolio.js";
import { PortfolioState } from "./state.js";
import { LiveStream } from "./stream.js";
import { initThemeSwitch } from "./theme.js";
import { WalletForm } from "./wallet-form.js";
import { WalletsView } from "./wallets.js";

const PORTFOLIO_EVERY_MS = 15000;
const HISTORY_EVERY_MS = 60000;
const FRESHNESS_EVERY_MS = 5000;

/** Runs `task` once, `delay` ms after the last of a burst of calls. */
function debounce(task, delay) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(task, delay);
  };
}

const state = new PortfolioState();
const stream = new LiveStream();
new ConnectionView(stream);
initThemeSwitch(document.getElementById("theme"));

const portfolioView = new PortfolioView(state);
const walletsView = new WalletsView(state, {
  async refresh(id) {
    const body = await api.fetchWallet(id);
    state.setBalances(id, body.balances);
    portfolioSoon();
  },
  async relabel(id, label) {
    state.addWallet(await api.relabelWallet(id, label));
  },
  async remove(id) {
    try {
      await api.deleteWallet(id);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    state.removeWallet(id);
    historySoon();
  },
});

const history = new HistoryPanel({
  load: (query) => api.history(query),
  earliest() {
    const times = [...state.wallets.values()].map((e) => new Date(e.wallet.created_at).getTime());
    return times.length ? new Date(Math.min(...times)) : null;
  },
});

const form = new WalletForm({
  add: (body) => api.addWallet(body),
  async onAdded(wallet) {
    state.addWallet(wallet);
    // A wallet is read as soon as it is added; this read answers its balances, zero ones included.
    let problem = null;
    try {
      const body = await api.fetchWallet(wallet.id);
      state.setBalances(wallet.id, body.balances);
    } catch (error) {
      problem = error.message;
    }
    portfolioSoon();
    historySoon();
    return problem;
  },
  onExisting: (id) => walletsView.highlight(id),
});

// Views render once per burst of state changes.
let renderQueued = false;
state.addEventListener("change", () => {
  if (renderQueued) return;
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    portfolioView.render();
    walletsView.render();
    document.body.dataset.loaded = String(state.loaded);
  });
});

async function refreshPortfolio() {
  try {
    state.applyPortfolio(await api.portfolio());
  } catch {
    // The stream's state shows when the server is away; the next round tries again.
  }
}
const portfolioSoon = debounce(refreshPortfolio, 800);

/** The portfolio's USD value a day ago, for the headline's 24 h change. */
async function refreshDayAgo() {
  const to = new Date();
  const from = new Date(to.getTime() - 24 * 3600 * 1000);
  try {
    const body = await api.history({ from, to, interval: "hour" });
    // The first bucket closes within an hour of 24 h ago; a portfolio worth nothing then has no change to show.
    const first = body.totals?.[0];
    state.setDayAgo(first && first.usd !== "0.00" ? first.usd : null);
  } catch {
    // The headline shows no change until the next round.
  }
}
const historySoon = debounce(() => history.refresh(), 2500);

/** Balances for wallets the page holds but has not seen read (added elsewhere, or while away). */
async function readMissingBalances() {
  for (const [id, entry] of state.wallets) {
    if (entry.read) continue;
    try {
      state.setBalances(id, (await api.walletBalances(id)).balances);
    } catch {
      // Removed meanwhile, or the server went away: the stream will tell.
    }
  }
}

/** Wallet additions and removals are not replayed on resume: read the list again. */
const syncWallets = debounce(async () => {
  try {
    state.syncWallets(await api.wallets());
    await readMissingBalances();
  } catch {
    // Retried after the next reconnect.
  }
}, 300);

let hadSnapshot = false;
stream.addEventListener("frame", (event) => {
  const frame = event.detail;
  switch (frame.type) {
    case "snapshot":
      state.applySnapshot(frame.data);
      if (frame.reset && hadSnapshot) announce("The portfolio was reloaded from the server.");
      hadSnapshot = true;
      refreshPortfolio();
      refreshDayAgo();
      history.refresh();
      break;
    case "resumed":
      syncWallets();
      portfolioSoon();
      if (frame.replayed > 0) historySoon();
      break;
    case "diff":
      if (state.applyChanges(frame.changes ?? []).length) syncWallets();
      portfolioSoon();
      historySoon();
      break;
    case "wallet_added":
    case "wallets_added":
      for (const wallet of frame.wallets ?? [frame.wallet]) state.addWallet(wallet);
      // A wallet whose balances are all zero sends no diff: read what was stored for it.
      setTimeout(readMissingBalances, 1500);
      break;
    case "value":
      state.applyValue(frame);
      historySoon();
      break;
    case "wallet_removed":
      state.removeWallet(frame.wallet_id);
      historySoon();
      break;
  }
});

async function loadChains() {
  try {
    const health = await api.health();
    const chains = Object.keys(health.chains ?? {}).sort();
    if (chains.length) form.setChains(chains);
    document.getElementById("version").textContent = health.version ? `v${health.version}` : "";
  } catch {
    setTimeout(loadChains, 5000);
  }
}

loadChains();
stream.start();
setInterval(refreshPortfolio, PORTFOLIO_EVERY_MS);
setInterval(() => history.refresh(), HISTORY_EVERY_MS);
setInterval(refreshDayAgo, HISTORY_EVERY_MS);
setInterval(() => walletsView.tick(), FRESHNESS_EVERY_MS);
