// The live stream (/api/v1/stream): subscribes to `portfolio`, keeps the change-log position
// (`seq`, `epoch`) and resumes from it after every drop, with capped exponential backoff.
//
// Events: "state" (detail: {state, retryIn?, message?}) where state is connecting, live,
// reconnecting or offline; "frame" (detail: the parsed frame); "problem" (detail: an error frame).

const POSITION_KEY = "portfolio-stream-position";
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
/** Failed attempts in a row after which the server counts as unreachable. */
const OFFLINE_AFTER = 4;

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
    window.addEventListener("online", () => this.reconnectNow());
    window.addEventListener("offline", () => this.socket?.close());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && this.state !== "live") this.reconnectNow();
    });
  }

  static defaultURL() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/api/v1/stream`;
  }

  start() {
    // A newly loaded page holds no state to resume into, so it starts from a snapshot; the
    // position is mirrored in sessionStorage, where it can be inspected.
    sessionStorage.removeItem(POSITION_KEY);
    this.connect();
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = null;
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
      const message = { op: "subscribe", topic: "portfolio" };
      if (this.position) Object.assign(message, { since: this.position.seq, epoch: this.position.epoch });
      socket.send(JSON.stringify(message));
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleRetry();
    });
  }

  receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    switch (frame.type) {
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
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return;
    this.failures = Math.max(0, this.failures - 1);
    this.connect();
  }

  setState(state, extra = {}) {
    this.state = state;
    this.dispatchEvent(new CustomEvent("state", { detail: { state, ...extra } }));
  }
}
