// The page's controller: asks the server who the page acts for (GET /api/v1/me, with the
// access token held, if any), then shows the sign-in view (401) or the dashboard, and goes
// back to signing in when the token stops working: a 401 to any request, or the stream
// closed with 4401 (revoked, expired, or the server now asks for a token).

import { AccountView } from "./account.js";
import { api, ApiError, onUnauthorized, useToken } from "./api.js";
import { ChainBanner } from "./chain-banner.js";
import { ChainHealth } from "./chain-health.js";
import { ConnectionView } from "./connection.js";
import { Dashboard } from "./dashboard.js";
import { announce } from "./dom.js";
import { registerServiceWorker } from "./push.js";
import { SignInView } from "./sign-in.js";
import { LiveStream } from "./stream.js";
import { initThemeSwitch } from "./theme.js";
import { tokenStore } from "./token-store.js";

const TITLE = document.title;
const ENDED = "the token was revoked or expired";

const stream = new LiveStream();
const chains = new ChainHealth(stream);
new ConnectionView(stream, chains);
new ChainBanner(chains);
initThemeSwitch(document.getElementById("theme"));
// The service worker shows push notifications; where it cannot run, the notify switch says so.
if ("serviceWorker" in navigator) registerServiceWorker().catch(() => {});

const banner = document.getElementById("stream-problem");
const main = document.getElementById("main");
/** The running dashboard, or null while signed out. */
let dashboard = null;
/** Whether the server asks every request for a token, as its last /me answer said. */
let authRequired = true;

const account = new AccountView({
  onSignOut() {
    forgetToken();
    stopDashboard();
    showSignIn({ message: "You signed out; this browser no longer keeps the token." });
  },
  onSignIn() {
    stopDashboard();
    showSignIn();
  },
});

const signIn = new SignInView({
  check: (token) => api.me({ token }),
  onSignedIn(token, me) {
    tokenStore.set(token);
    useToken(token);
    startDashboard(me, token, { focus: true });
    announce(`Signed in as ${me.user}, scope ${me.scope}.`);
  },
  onCancel() {
    signIn.hide();
    boot({ focus: true });
  },
});

function forgetToken() {
  tokenStore.forget();
  useToken(null);
}

function showSignIn({ message = "" } = {}) {
  document.title = `Sign in · ${TITLE}`;
  account.hide();
  stream.stop(); // hides the connection badge: nothing streams while signed out
  banner.hidden = true;
  signIn.show({ message, optional: !authRequired });
}

function startDashboard(me, token, { focus = false } = {}) {
  authRequired = me.auth_required;
  signIn.hide();
  banner.hidden = true;
  document.title = TITLE;
  account.show(me, Boolean(token));
  dashboard = new Dashboard({ stream, me, token });
  dashboard.start();
  if (focus) main.focus();
}

function stopDashboard() {
  dashboard?.stop();
  dashboard = null;
}

/** The token stopped working, or the server now asks for one: back to signing in. */
function sessionEnded(reason) {
  if (!dashboard) return;
  const hadToken = Boolean(tokenStore.get());
  forgetToken();
  stopDashboard();
  if (!hadToken) authRequired = true;
  showSignIn({
    message: hadToken ? `Your session ended: ${reason || ENDED}.` : "This server now asks for an access token.",
  });
}

onUnauthorized((error) => sessionEnded(error.reason));
// The stream's close reason reads "token refused: token revoked"; the first words add nothing here.
stream.addEventListener("unauthorized", (event) =>
  sessionEnded(event.detail.reason?.replace(/^token refused: /, "") ?? null));

/** Asks who the page acts for, then shows the dashboard or the sign-in view. */
async function boot({ focus = false, attempt = 0 } = {}) {
  const token = tokenStore.get();
  useToken(token);
  let me;
  try {
    me = await api.me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      if (token) {
        // A kept token that no longer works (revoked or expired while the tab was away).
        forgetToken();
        authRequired = await api.me().then((answer) => answer.auth_required, () => true);
      } else {
        authRequired = true;
      }
      showSignIn({ message: token ? `Your session ended: ${error.reason || ENDED}.` : "" });
      return;
    }
    // The server is away (or failing): say so, and ask again shortly.
    banner.hidden = false;
    banner.textContent = error.status === 0
      ? "The server could not be reached; trying again…"
      : `The server could not tell who you are (${error.message}); trying again…`;
    setTimeout(() => boot({ focus, attempt: attempt + 1 }), Math.min(10000, 1000 * 2 ** attempt));
    return;
  }
  startDashboard(me, token, { focus });
}

boot();
