// The REST API. Failures become ApiError carrying the RFC 9457 problem the server answered.
// Every request carries `Authorization: Bearer <token>` while the page holds an access token
// (see `useToken`); a 401 to such a request means the token no longer works (revoked, expired,
// or the server now asks for one) and is reported to `onUnauthorized`.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** The request field the problem is about (`address`, `chain`, `label`), if it names one. */
  get field() {
    return typeof this.problem.field === "string" ? this.problem.field : null;
  }
}

/** The token sent with every request, or null. */
let currentToken = null;
/** Called with the ApiError of a 401 answered to a request sent with the current token (or none). */
let unauthorizedHandler = null;

/** Sends `token` (null for none) with every request from now on. */
export function useToken(token) {
  currentToken = token || null;
}

/** `handler(error)` hears of every 401 but those of `api.me({token})` checks. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/** The reason in a `WWW-Authenticate: Bearer …, error_description="…"` challenge, if any. */
function challengeReason(header) {
  const match = /error_description="([^"]*)"/.exec(header ?? "");
  return match ? match[1] : null;
}

/**
 * `options.token`: send this token instead of the current one (a token being checked before it
 * is kept); such a request's 401 is only thrown, not reported.
 */
async function request(method, path, body, options = {}) {
  const checking = "token" in options;
  const csv = options.csv === true;
  const token = checking ? options.token : currentToken;
  const init = { method, headers: { accept: "application/json" } };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["content-type"] = csv ? "text/csv" : "application/json";
    init.body = csv ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, { title: "Network error", detail: "The server could not be reached." });
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const problem = json && typeof json === "object" ? json : { title: response.statusText, detail: text };
    if (response.status === 429 && !problem.detail) {
      problem.detail = `Too many requests; try again in ${response.headers.get("retry-after") ?? "a few"} s.`;
    }
    const error = new ApiError(response.status, problem);
    if (response.status === 401) {
      error.reason = challengeReason(response.headers.get("www-authenticate"));
      // A request sent with a token since replaced (a sign-out meanwhile) says nothing of the new one.
      if (!checking && token === currentToken) unauthorizedHandler?.(error);
    }
    throw error;
  }
  return json;
}

/** A CSV answer of `path` (`Accept: text/csv`) as {blob, filename}; the name is the server's. */
async function requestCsv(path) {
  const init = { method: "GET", headers: { accept: "text/csv" } };
  if (currentToken) init.headers.authorization = `Bearer ${currentToken}`;
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, { title: "Network error", detail: "The server could not be reached." });
  }
  if (!response.ok) {
    const text = await response.text();
    let problem;
    try {
      problem = JSON.parse(text);
    } catch {
      problem = { title: response.statusText, detail: text };
    }
    const error = new ApiError(response.status, problem);
    if (response.status === 401) unauthorizedHandler?.(error);
    throw error;
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const filename = match ? decodeURIComponent(match[1]) : "export.csv";
  return { blob: await response.blob(), filename };
}

const walletPath = (id) => `/api/v1/wallets/${encodeURIComponent(id)}`;
const webhookPath = (id) => `/api/v1/webhooks/${encodeURIComponent(id)}`;
const alertPath = (id) => `/api/v1/alerts/${encodeURIComponent(id)}`;

export const api = {
  health: () => request("GET", "/api/v1/health"),

  /**
   * Who the page acts for: {user, user_id, scope, token, auth_required}. With `{token}`, asks
   * for that token instead of the one held (a 401 then only throws).
   */
  me: (options = {}) => request("GET", "/api/v1/me", undefined, options),
  portfolio: () => request("GET", "/api/v1/portfolio"),

  /** Per-asset totals per bucket; `from`/`to` are Dates. */
  history: ({ from, to, interval }) => {
    const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), interval });
    return request("GET", `/api/v1/portfolio/history?${query}`);
  },

  /** Every wallet, following the cursor through all pages. */
  async wallets() {
    const all = [];
    let cursor = null;
    do {
      const query = new URLSearchParams({ limit: "500" });
      if (cursor) query.set("cursor", cursor);
      const page = await request("GET", `/api/v1/wallets?${query}`);
      all.push(...page.wallets);
      cursor = page.next_cursor;
    } while (cursor);
    return all;
  },

  /** {chains: [{name, family, chain_id, native_symbol, native_decimals, poll_interval_seconds, explorer}]}. */
  chains: () => request("GET", "/api/v1/chains"),

  /** `path`'s CSV export as {blob, filename}. */
  csv: (path) => requestCsv(path),

  /**
   * Many wallets at once: `body` is CSV text (with `csv` true) or an array of {chain, address, label?};
   * answers {created, existing, invalid, results: [{row, status, id?, wallet?, field?, error?}]}.
   */
  importWallets: (body, { csv = false } = {}) => request("POST", "/api/v1/wallets/import", body, { csv }),

  addWallet: (body) => request("POST", "/api/v1/wallets", body),
  relabelWallet: (id, label) => request("PATCH", walletPath(id), { label }),
  deleteWallet: (id) => request("DELETE", walletPath(id)),
  fetchWallet: (id) => request("POST", `${walletPath(id)}/fetch`),
  walletBalances: (id) => request("GET", `${walletPath(id)}/balances`),

  /** {public_key}: base64url of the server's VAPID key, the browser's applicationServerKey. */
  vapidPublicKey: () => request("GET", "/api/v1/push/vapid-public-key"),
  /** {subscriptions: [{id, endpoint, event_types, …}]}: the user's push subscriptions. */
  pushSubscriptions: () => request("GET", "/api/v1/push/subscriptions"),
  /** `body`: a PushSubscription's toJSON() with `event_types`; the same endpoint again replaces it. */
  addPushSubscription: (body) => request("POST", "/api/v1/push/subscriptions", body),
  deletePushSubscription: (id) => request("DELETE", `/api/v1/push/subscriptions/${encodeURIComponent(id)}`),

  /** {webhooks: [...]}: the user's webhooks, never their secrets. */
  webhooks: () => request("GET", "/api/v1/webhooks"),
  /** The new webhook with its `secret`, which no later answer repeats. */
  addWebhook: (body) => request("POST", "/api/v1/webhooks", body),
  updateWebhook: (id, changes) => request("PATCH", webhookPath(id), changes),
  deleteWebhook: (id) => request("DELETE", webhookPath(id)),
  /** {ok, status, latency_ms, response, error}: how the endpoint answered a signed `ping`. */
  pingWebhook: (id) => request("POST", `${webhookPath(id)}/ping`),
  /** {secret, previous_valid_until}: the new secret, shown once; the old one signs for a day more. */
  rotateWebhookSecret: (id) => request("POST", `${webhookPath(id)}/rotate-secret`),
  /** {deliveries: [...], next_before}: the latest attempts, newest first. */
  webhookDeliveries: (id, limit = 20) =>
    request("GET", `${webhookPath(id)}/deliveries?${new URLSearchParams({ limit: String(limit) })}`),
  /** The webhook, enabled, its cursor moved back: `fromSeq` and every later event are sent again. */
  redeliverWebhook: (id, fromSeq) => request("POST", `${webhookPath(id)}/redeliver`, { from_seq: fromSeq }),

  /** {alerts: [...]}: the user's alert rules. */
  alerts: () => request("GET", "/api/v1/alerts"),
  /** {fired: [...], next_before}: the alerts the user's rules fired, newest first. */
  firedAlerts: (limit = 20) =>
    request("GET", `/api/v1/alert-events?${new URLSearchParams({ limit: String(limit) })}`),
  /** `body`: {kind, name?, wallet_id?, asset?, threshold?, percent?, direction?}; answers the rule. */
  addAlert: (body) => request("POST", "/api/v1/alerts", body),
  /** `changes`: {name?, enabled?}. */
  updateAlert: (id, changes) => request("PATCH", alertPath(id), changes),
  deleteAlert: (id) => request("DELETE", alertPath(id)),
};
