// The connection badge: connecting, live, reconnecting or offline, with a countdown and a
// "Retry now" button while the stream waits to reconnect; "Not live" with the reason when the
// server refused the connection (too many for this user), and hidden while no stream runs.

const TEXT = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting",
  offline: "Offline",
  refused: "Not live",
};

export class ConnectionView {
  constructor(stream) {
    this.stream = stream;
    this.root = document.getElementById("connection");
    this.text = document.getElementById("connection-text");
    this.detail = document.getElementById("connection-detail");
    this.button = document.getElementById("reconnect");
    this.problem = document.getElementById("stream-problem");
    this.timer = null;
    this.button.addEventListener("click", () => stream.reconnectNow());
    stream.addEventListener("state", (event) => this.show(event.detail));
    stream.addEventListener("problem", (event) => this.showProblem(event.detail));
  }

  show({ state, retryIn, message }) {
    clearInterval(this.timer);
    this.root.hidden = state === "stopped";
    if (state === "stopped") {
      this.problem.hidden = true;
      return;
    }
    this.root.dataset.state = state;
    // Only the state itself is in the live region; the countdown beside it is not announced.
    if (this.text.textContent !== TEXT[state]) this.text.textContent = TEXT[state];
    this.button.hidden = !retryIn && state !== "offline" && state !== "refused";
    if (state === "live") this.problem.hidden = true;
    if (state === "refused") {
      // Said once, in the alert banner; the badge keeps a short form.
      this.problem.hidden = false;
      this.problem.textContent = message;
      this.detail.textContent = "too many connections";
    } else if (message) {
      this.detail.textContent = message;
    } else if (retryIn) {
      const update = () => {
        const seconds = Math.max(0, Math.ceil((this.stream.retryAt - Date.now()) / 1000));
        this.detail.textContent = seconds > 0 ? `retrying in ${seconds} s` : "retrying…";
      };
      update();
      this.timer = setInterval(update, 1000);
    } else {
      this.detail.textContent = "";
    }
  }

  /** An `error` frame from the server: the connection stays open, so it is only reported. */
  showProblem(frame) {
    this.problem.hidden = false;
    this.problem.textContent = `Live updates: ${frame.message ?? frame.code}`;
  }
}
