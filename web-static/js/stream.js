// The live stream (/api/v1/stream): subscribes to `portfolio`, keeps the change-log position
// (`seq`, `epoch`) and resumes from it after every drop, with capped exponential backoff.
// It follows `chains` too: each chain's health, sent in full on every (re)subscription.
//
// With an access token, each connection first sends `{"op":"auth","token":…}` (a browser
// cannot set the upgrade's Authorization header) and subscribes once the server answers
// `authenticated`. A close with 4401 (token refused, or none sent where one is needed) ends
// the stream for good; 4429 (too many connections for this user) stops it until "Retry now".
//
// Events: "state" (detail: {state, retryIn?, message?}) where state is connecting, live,
// reconnecting, offline, refused (4429) or stopped; "frame" (detail: the parsed frame);
// "problem" (detail: an error frame); "authenticated" (detail: {user, scope});
// "unauthorized" (detail: {reason}, the server's words or null).
const POSITION_KEY = "portfolio-stream-position";
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
/** Failed attempts in a row after which the server counts as unreachable. */
const OFFLINE_AFTER = 4;
/** The stream's own close codes: not authenticated, and too many connections for one user. */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_TOO_MANY = 4429;

export class LiveStream extends EventTarget {
  constructor(url = LiveStream.defaultURL()) {
    super();
    this.url = url;
    this.socket = null;
    this.state = "connecting";
    this.failures = 0;
    this.timer = null;
    this.retryAt = 0;
    this.position = null; // {seq, epoch} once a snapshot arrived in this page
    this.token = null;
    this.running = false;
    window.addEventListener("online", () => {
      if (this.state !== "refused") this.reconnectNow();
    });
    window.addEventListener("offline", () => this.socket?.close());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState !== "visible") return;
      if (this.state !== "live" && this.state !== "refused") this.reconnectNow();
    });
  }

  static defaultURL() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/api/v1/stream`;
  }

  /** Starts streaming, as the bearer of `token` when one is given. */
  start({ token = null } = {}) {
    // A newly loaded page (or a new sign-in) holds no state to resume into, so it starts from a
    // snapshot; the position is mirrored in sessionStorage, where it can be inspected.
    this.forgetPosition();
    this.token = token;
    this.failures = 0;
    this.running = true;
    this.connect();
  }

  /** Closes the connection and stops reconnecting (signing out, or the session ended). */
  stop() {
    this.running = false;
    this.token = null;
    clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, "signed out");
    this.forgetPosition();
    this.setState("stopped");
  }

  forgetPosition() {
    this.position = null;
    try {
      sessionStorage.removeItem(POSITION_KEY);
    } catch {
      // Nothing was stored.
    }
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.running) return;
    if (!navigator.onLine) {
      this.setState("offline", { message: "This device is offline." });
      return;
    }
    this.setState(this.position ? "reconnecting" : "connecting");
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => {
      // With a token, the subscription waits for the server's `authenticated`.
      if (this.token) socket.send(JSON.stringify({ op: "auth", token: this.token }));
      else this.subscribe(socket);
    });
    socket.addEventListener("message", (event) => this.receive(event.data, socket));
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (event.code === CLOSE_UNAUTHENTICATED) {
        this.unauthorized(event.reason || null);
      } else if (event.code === CLOSE_TOO_MANY) {
        // Reconnecting would only be refused again: wait for the user to close other tabs.
        clearTimeout(this.timer);
        this.timer = null;
        const limit = event.reason ? ` (${event.reason})` : "";
        this.setState("refused", {
          message: `Live updates are off: this user has too many open connections${limit}. ` +
            "Close other dashboard tabs or windows, then choose Retry now.",
        });
      } else {
        this.scheduleRetry();
      }
    });
  }

  subscribe(socket) {
    const message = { op: "subscribe", topic: "portfolio" };
    if (this.position) Object.assign(message, { since: this.position.seq, epoch: this.position.epoch });
    socket.send(JSON.stringify(message));
    socket.send(JSON.stringify({ op: "subscribe", topic: "chains" }));
  }

  /** The server refused who the stream acts for: no retry, the page asks to sign in again. */
  unauthorized(reason) {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = null;
    this.dispatchEvent(new CustomEvent("unauthorized", { detail: { reason } }));
  }

  receive(text, socket) {
    // Frames still arriving on a connection the page has let go of (a sign-out) are dropped.
    if (socket !== this.socket) return;
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    switch (frame.type) {
      case "authenticated":
        this.dispatchEvent(new CustomEvent("authenticated", { detail: frame }));
        this.subscribe(socket);
        return;
      case "snapshot":
      case "resumed":
        this.remember(frame.seq, frame.epoch);
        this.failures = 0;
        this.dispatchEvent(new CustomEvent("frame", { detail: frame }));
        this.setState("live");
        return;
      case "diff":
        this.dispatchEvent(new CustomEvent("frame", { detail: frame }));
        if (this.position) this.remember(Math.max(this.position.seq, frame.seq), this.position.epoch);
        return;
      case "error":
        if (frame.code === "auth_required") {
          // The server asks for a token this page does not hold (it restarted with tokens required).
          this.socket = null;
          socket.close(1000, "no access token");
          this.unauthorized("this server needs an access token");
          return;
        }
        this.dispatchEvent(new CustomEvent("problem", { detail: frame }));
        if (frame.code === "unavailable") this.socket?.close();
        return;
      default:
        this.dispatchEvent(new CustomEvent("frame", { detail: frame }));
        // Wallets added and removed have a place in the log too: resume after them.
        if (this.position && typeof frame.seq === "number") {
          this.remember(Math.max(this.position.seq, frame.seq), this.position.epoch);
        }
    }
  }

  remember(seq, epoch) {
    if (typeof seq !== "number" || typeof epoch !== "string") return;
    this.position = { seq, epoch };
    try {
      sessionStorage.setItem(POSITION_KEY, JSON.stringify(this.position));
    } catch {
      // Storage may be unavailable (private mode); the position in memory is enough.
    }
  }

  scheduleRetry() {
    if (!this.running) return;
    this.failures += 1;
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (this.failures - 1));
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.retryAt = Date.now() + delay;
    const waiting = this.position ? "reconnecting" : "connecting";
    const state = !navigator.onLine || this.failures > OFFLINE_AFTER ? "offline" : waiting;
    this.setState(state, { retryIn: delay });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Skips the wait (a button, the browser coming back online or the tab becoming visible). */
  reconnectNow() {
    if (!this.running || (this.socket && this.socket.readyState <= WebSocket.OPEN)) return;
    this.failures = Math.max(0, this.failures - 1);
    this.connect();
  }

  setState(state, extra = {}) {
    this.state = state;
    this.dispatchEvent(new CustomEvent("state", { detail: { state, ...extra } }));
  }
}
