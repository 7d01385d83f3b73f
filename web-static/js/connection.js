// The connection badge: connecting, live, reconnecting or offline, with a countdown and a
// "Retry now" button while the stream waits to reconnect; "Not live" with the reason when the
// server refused the connection (too many for this user), and hidden while no stream runs.
// "Live" alone means every chain is ok too; otherwise it names the chains that are not
// ("Live, Solana degraded"), and `data-chains` holds the worst chain status.

import { chainName } from "./format.js";

const TEXT = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting",
  offline: "Offline",
  refused: "Not live",
};

/** ", Solana down, Ethereum degraded", or ", 2 chains down" past one chain of a status. */
function chainSuffix(troubled) {
  const parts = [];
  for (const status of ["down", "degraded"]) {
    const chains = troubled.filter((c) => c.status === status);
    if (chains.length === 1) parts.push(`${chainName(chains[0].chain)} ${status}`);
    else if (chains.length > 1) parts.push(`${chains.length} chains ${status}`);
  }
  return parts.length ? `, ${parts.join(", ")}` : "";
}

export class ConnectionView {
  /** `chains`: the page's ChainHealth. */
  constructor(stream, chains) {
    this.stream = stream;
    this.chains = chains;
    this.state = null;
    this.root = document.getElementById("connection");
    this.text = document.getElementById("connection-text");
    this.detail = document.getElementById("connection-detail");
    this.button = document.getElementById("reconnect");
    this.problem = document.getElementById("stream-problem");
    this.timer = null;
    this.button.addEventListener("click", () => stream.reconnectNow());
    stream.addEventListener("state", (event) => this.show(event.detail));
    stream.addEventListener("problem", (event) => this.showProblem(event.detail));
    chains.addEventListener("change", () => this.showText());
  }

  /** The state's words, with the chains that are not ok while live. */
  showText() {
    if (!TEXT[this.state]) return; // stopped, or no state yet
    const live = this.state === "live";
    const text = TEXT[this.state] + (live ? chainSuffix(this.chains.troubled) : "");
    this.root.dataset.chains = live ? this.chains.worst : "ok";
    if (this.text.textContent !== text) this.text.textContent = text;
  }

  show({ state, retryIn, message }) {
    clearInterval(this.timer);
    this.state = state;
    this.root.hidden = state === "stopped";
    if (state === "stopped") {
      this.problem.hidden = true;
      return;
    }
    this.root.dataset.state = state;
    // Only the state itself is in the live region; the countdown beside it is not announced.
    this.showText();
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
