// The REST API. Failures become ApiError carrying the RFC 9457 problem the server answered.

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

async function request(method, path, body) {
  const init = { method, headers: { accept: "application/json" } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
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
    throw new ApiError(response.status, problem);
  }
  return json;
}

const walletPath = (id) => `/api/v1/wallets/${encodeURIComponent(id)}`;

export const api = {
  health: () => request("GET", "/api/v1/health"),
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

  addWallet: (body) => request("POST", "/api/v1/wallets", body),
  relabelWallet: (id, label) => request("PATCH", walletPath(id), { label }),
  deleteWallet: (id) => request("DELETE", walletPath(id)),
  fetchWallet: (id) => request("POST", `${walletPath(id)}/fetch`),
  walletBalances: (id) => request("GET", `${walletPath(id)}/balances`),
};
