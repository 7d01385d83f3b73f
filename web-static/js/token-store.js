// The access token the dashboard signs in with.
//
// It is kept in sessionStorage, not localStorage: sessionStorage belongs to this tab and is
// gone when the browser session ends, so a token typed on a shared or borrowed machine does
// not outlive the visit, and a reload of the tab keeps the user signed in. localStorage would
// keep the secret on disk with no end, readable by anyone who opens the browser later. The
// token is never written anywhere else (no cookie, no URL).

const KEY = "portfolio-access-token";

/** The token when storage is unavailable (private mode): it lasts as long as the page. */
let inMemory = null;

export const tokenStore = {
  get() {
    try {
      return sessionStorage.getItem(KEY) ?? inMemory;
    } catch {
      return inMemory;
    }
  },

  set(token) {
    inMemory = token;
    try {
      sessionStorage.setItem(KEY, token);
      inMemory = null;
    } catch {
      // Storage refused: the token stays in memory only.
    }
  },

  forget() {
    inMemory = null;
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // Nothing was stored.
    }
  },
};
