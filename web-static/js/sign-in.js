// The sign-in view: a form for an access token, checked with GET /api/v1/me before it is kept.
// A refused token gets its reason inline (an alert, not a dialog) and the field keeps focus.

import { ApiError } from "./api.js";

export class SignInView {
  /**
   * `check(token)` resolves to the /me answer for `token` or throws ApiError; `onSignedIn(token,
   * me)` starts the dashboard; `onCancel()` goes back to it without a token (only offered where
   * the server asks for none).
   */
  constructor({ check, onSignedIn, onCancel }) {
    this.check = check;
    this.onSignedIn = onSignedIn;
    this.onCancel = onCancel;
    this.root = document.getElementById("sign-in");
    this.form = document.getElementById("sign-in-form");
    this.input = document.getElementById("access-token");
    this.error = document.getElementById("access-token-error");
    this.message = document.getElementById("sign-in-message");
    this.submit = this.form.querySelector("button[type=submit]");
    this.cancel = document.getElementById("sign-in-cancel");
    this.busy = false;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    this.input.addEventListener("input", () => this.clearError());
    this.cancel.addEventListener("click", () => this.onCancel());
  }

  get shown() {
    return !this.root.hidden;
  }

  /**
   * Shows the view with `message` (why it is shown: a session that ended, a sign-out), offering
   * to go on without a token when `optional`, and puts focus in the token field.
   */
  show({ message = "", optional = false } = {}) {
    this.root.hidden = false;
    this.message.textContent = message;
    this.message.hidden = !message;
    this.cancel.hidden = !optional;
    this.input.value = "";
    this.clearError();
    this.input.focus();
  }

  hide() {
    this.root.hidden = true;
    this.input.value = "";
    this.clearError();
  }

  clearError() {
    this.error.textContent = "";
    this.input.removeAttribute("aria-invalid");
  }

  showError(text) {
    this.error.textContent = text;
    this.input.setAttribute("aria-invalid", "true");
    this.input.focus();
  }

  async send() {
    if (this.busy) return;
    const token = this.input.value.trim();
    this.clearError();
    if (!token) {
      this.showError("Enter an access token.");
      return;
    }
    this.busy = true;
    this.submit.disabled = true;
    this.form.setAttribute("aria-busy", "true");
    let me;
    try {
      me = await this.check(token);
    } catch (error) {
      this.showError(SignInView.refusal(error));
      return;
    } finally {
      this.busy = false;
      this.submit.disabled = false;
      this.form.removeAttribute("aria-busy");
    }
    this.onSignedIn(token, me);
  }

  /** What to say about a token /me did not accept. */
  static refusal(error) {
    if (error instanceof ApiError && error.status === 401) {
      const why = error.reason ?? "the server does not know it, or it was revoked or has expired";
      return `That token was not accepted: ${why}. Check that it was copied whole, or make a new one.`;
    }
    if (error instanceof ApiError && error.status === 0) return "The server could not be reached; try again.";
    return `Signing in failed: ${error.message}`;
  }
}
