// The webhooks panel: the user's endpoints with their state, the add form (the signing secret
// is shown once, with a copy button, and kept nowhere), and per endpoint "Send test" (a signed
// ping, with the answer's status and latency), enable or disable, a new secret, delete (after a
// confirmation) and the delivery log (webhook-log.js). The server's problem `detail` is shown
// where it applies. Under a read-only token the add form is hidden and the writing actions are off.

import { api, ApiError } from "./api.js";
import { confirmDelete } from "./confirm-delete.js";
import { announce, copyText, h, reconcile, timeElement } from "./dom.js";
import { formatDateTime } from "./format.js";
import { DeliveryLog, eventName } from "./webhook-log.js";

/** How long after a resend the log is read again: the first events are on their way by then. */
const RESENT_READ_MS = 1500;

const hostOf = (url) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};
const nameOf = (hook) => hook.description || hostOf(hook.url);

export class WebhooksView {
  /** `readOnly`: the id of the note saying why writing is off, or null when it is on. */
  constructor({ readOnly = null } = {}) {
    this.readOnly = readOnly;
    this.active = false;
    this.loaded = false;
    this.hooks = [];
    this.list = document.getElementById("webhook-list");
    this.empty = document.getElementById("webhooks-empty");
    this.problem = document.getElementById("webhooks-problem");
    this.heading = document.getElementById("webhooks-title");
    this.secretSlot = document.getElementById("webhook-secret-slot");
    this.form = document.getElementById("add-webhook");
    this.url = document.getElementById("webhook-url");
    this.description = document.getElementById("webhook-description");
    this.urlError = document.getElementById("webhook-url-error");
    this.descriptionError = document.getElementById("webhook-description-error");
    this.eventsError = document.getElementById("webhook-events-error");
    this.formStatus = document.getElementById("webhook-form-status");
    this.submit = this.form.querySelector("button[type=submit]");
    document.getElementById("webhooks-read-only-note").hidden = !readOnly;
    this.form.hidden = Boolean(readOnly);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.add();
    });
    this.url.addEventListener("input", () => this.clearError(this.url, this.urlError));
    this.description.addEventListener("input", () => this.clearError(this.description, this.descriptionError));
    this.form.addEventListener("change", (event) => {
      if (event.target.name === "event_types") this.eventsError.textContent = "";
    });
  }

  start() {
    this.active = true;
    this.refresh();
  }

  stop() {
    this.active = false;
  }

  /** Reads the webhooks again, and the delivery logs that are open. */
  async refresh() {
    if (!this.active) return;
    try {
      const { webhooks } = await api.webhooks();
      if (!this.active) return;
      this.hooks = webhooks;
      this.loaded = true;
      this.problem.hidden = true;
      this.render();
    } catch (error) {
      if (!this.active || (error instanceof ApiError && error.status === 401)) return;
      this.problem.hidden = false;
      this.problem.textContent = `The webhooks could not be read: ${error.message}`;
      return;
    }
    for (const item of this.list.children) {
      if (item.log?.open) item.log.load();
    }
  }

  render() {
    const hooks = [...this.hooks].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
    this.list.hidden = hooks.length === 0;
    this.empty.hidden = !this.loaded || hooks.length > 0;
    reconcile(this.list, hooks, (hook) => hook.id, (hook) => this.createItem(hook.id), (item, hook) =>
      this.updateItem(item, hook));
    this.list.closest("section").dataset.loaded = "true";
  }

  hook(id) {
    return this.hooks.find((hook) => hook.id === id) ?? null;
  }

  /** The attributes of a button that writes: disabled, and described by the note, when read-only. */
  writeOff() {
    return this.readOnly ? { disabled: true, "aria-describedby": this.readOnly } : {};
  }

  createItem(id) {
    const titleId = `hook-title-${id}`;
    const log = new DeliveryLog({
      id, readOnly: this.readOnly, active: () => this.active,
      name: () => {
        const hook = this.hook(id);
        return hook ? nameOf(hook) : "this webhook";
      },
      onResent: (hook) => {
        this.replace(hook);
        setTimeout(() => this.active && log.open && log.load(), RESENT_READ_MS);
      },
    });
    const item = h("li", { class: "hook" },
      h("div", { class: "hook-head" },
        h("h3", { id: titleId, class: "hook-title" }),
        h("span", { class: "hook-state" })),
      h("p", { class: "hook-url" }, h("code", { class: "hook-url-text" })),
      h("dl", { class: "hook-facts" },
        h("dt", {}, "Events"), h("dd", { class: "hook-events" }),
        h("dt", {}, "Last event sent"), h("dd", { class: "hook-seq" }),
        h("dt", { class: "hook-failing-line" }, "Failing since"), h("dd", { class: "hook-failing hook-failing-line" }),
        h("dt", { class: "hook-disabled-line" }, "Why disabled"), h("dd", { class: "hook-reason hook-disabled-line" })),
      h("div", { class: "hook-actions" },
        h("button", { type: "button", class: "hook-ping", onclick: () => this.ping(id, item), ...this.writeOff() }, "Send test"),
        h("button", { type: "button", class: "hook-toggle", onclick: () => this.toggle(id, item), ...this.writeOff() }),
        h("button", { type: "button", class: "hook-rotate", onclick: () => this.rotate(id, item), ...this.writeOff() }, "New secret"),
        h("button", { type: "button", class: "hook-delete danger", onclick: () => this.confirmDelete(id, item), ...this.writeOff() },
          "Delete")),
      h("p", { class: "hook-message", role: "status" }),
      h("div", { class: "hook-secret-slot" }),
      log.element);
    item.log = log;
    return item;
  }

  updateItem(item, hook) {
    const name = nameOf(hook);
    item.querySelector(".hook-title").textContent = name;
    item.querySelector(".hook-url-text").textContent = hook.url;
    const state = item.querySelector(".hook-state");
    const failing = hook.enabled && hook.failing_since;
    state.dataset.state = !hook.enabled ? "disabled" : failing ? "failing" : "enabled";
    state.textContent = !hook.enabled ? "Disabled" : failing ? "Enabled, failing" : "Enabled";
    item.dataset.enabled = String(hook.enabled);
    item.querySelector(".hook-events").textContent = hook.event_types.map(eventName).join(", ");
    const seq = item.querySelector(".hook-seq");
    seq.textContent = hook.last_seq > 0 ? `#${hook.last_seq}` : "None yet";
    if (hook.pending_seq) seq.textContent += `; sending #${hook.pending_seq} (attempt ${hook.attempts + 1})`;
    for (const line of item.querySelectorAll(".hook-failing-line")) line.hidden = !hook.failing_since;
    if (hook.failing_since) item.querySelector(".hook-failing").replaceChildren(timeElement(hook.failing_since));
    for (const line of item.querySelectorAll(".hook-disabled-line")) line.hidden = hook.enabled;
    item.querySelector(".hook-reason").textContent = hook.disabled_reason ?? "Disabled";
    const toggle = item.querySelector(".hook-toggle");
    toggle.textContent = hook.enabled ? "Disable" : "Enable";
    for (const [selector, verb] of [[".hook-ping", "Send a test to"], [".hook-toggle", toggle.textContent],
      [".hook-rotate", "Make a new secret for"], [".hook-delete", "Delete"]]) {
      item.querySelector(selector).setAttribute("aria-label", `${verb} ${name}`);
    }
    item.log.update();
  }

  message(item, text, kind = "info") {
    const slot = item.querySelector(".hook-message");
    slot.textContent = text;
    slot.dataset.kind = kind;
  }

  /** Updates one webhook from a write's answer. */
  replace(hook) {
    this.hooks = this.hooks.map((h) => (h.id === hook.id ? hook : h));
    this.render();
  }

  // --- adding ---------------------------------------------------------------------------------

  clearError(input, slot) {
    input.removeAttribute("aria-invalid");
    slot.textContent = "";
  }

  setFormStatus(text, kind = "info") {
    this.formStatus.className = `form-status ${kind}`;
    this.formStatus.textContent = text;
  }

  async add() {
    if (this.readOnly) return;
    this.clearError(this.url, this.urlError);
    this.clearError(this.description, this.descriptionError);
    this.eventsError.textContent = "";
    this.setFormStatus("");
    const url = this.url.value.trim();
    const types = [...this.form.querySelectorAll("input[name=event_types]:checked")].map((input) => input.value);
    if (!url) {
      this.fieldError(this.url, this.urlError, "Enter the URL the events are to be sent to.");
      return;
    }
    if (types.length === 0) {
      this.eventsError.textContent = "Pick at least one kind of event.";
      this.form.querySelector("input[name=event_types]").focus();
      return;
    }
    const body = { url, event_types: types };
    if (this.description.value.trim()) body.description = this.description.value.trim();
    this.submit.disabled = true;
    this.form.setAttribute("aria-busy", "true");
    let hook;
    try {
      hook = await api.addWebhook(body);
    } catch (error) {
      this.addFailed(error);
      return;
    } finally {
      this.submit.disabled = false;
      this.form.removeAttribute("aria-busy");
    }
    const { secret, ...shown } = hook;
    this.hooks = [...this.hooks.filter((h) => h.id !== shown.id), shown];
    this.loaded = true;
    this.render();
    this.url.value = "";
    this.description.value = "";
    this.setFormStatus(`Added ${nameOf(shown)}.`, "success");
    this.showSecret(this.secretSlot, shown, secret, "webhook-secret");
  }

  fieldError(input, slot, text) {
    input.setAttribute("aria-invalid", "true");
    slot.textContent = text;
    input.focus();
  }

  addFailed(error) {
    const text = error.problem?.detail || error.message;
    if (error.field === "url" || error.status === 422) this.fieldError(this.url, this.urlError, text);
    else if (error.field === "description") this.fieldError(this.description, this.descriptionError, text);
    else if (error.field === "event_types") this.eventsError.textContent = text;
    else this.setFormStatus(`The webhook was not added: ${text}`, "error");
  }

  /**
   * Shows `secret` once in `slot`, with a copy button and the warning that it is not shown
   * again; "Done" removes it from the page. Focus moves to it so that it is read out.
   */
  showSecret(slot, hook, secret, idPrefix, { lead = "Signing secret", returnTo = this.heading } = {}) {
    const titleId = `${idPrefix}-title`;
    const valueId = `${idPrefix}-value`;
    const status = h("p", { class: "secret-status", role: "status" });
    const box = h("div", { class: "secret-box", role: "group", "aria-labelledby": titleId, tabindex: "-1" },
      h("h3", { id: titleId, class: "secret-title" }, `${lead} for ${nameOf(hook)}`),
      h("p", { class: "secret-warning" }, h("strong", {}, "Copy it now: it is shown only this once."),
        " Your endpoint needs it to check each message's signature. If it is lost, make a new one."),
      h("div", { class: "secret-line" },
        h("code", { id: valueId, class: "secret-value" }, secret),
        h("button", {
          type: "button", class: "secret-copy", "aria-describedby": valueId,
          onclick: async () => {
            const copied = await copyText(secret);
            status.textContent = copied ? "Secret copied." : "Copying failed: select the secret and copy it.";
          },
        }, "Copy secret")),
      status,
      h("button", {
        type: "button", class: "secret-done",
        onclick: () => {
          box.remove();
          announce("The secret is no longer shown.");
          returnTo.focus();
        },
      }, "Done, hide it"));
    slot.replaceChildren(box);
    box.focus();
  }

  // --- one webhook's actions ------------------------------------------------------------------

  async ping(id, item) {
    if (this.readOnly) return;
    const button = item.querySelector(".hook-ping");
    button.disabled = true;
    this.message(item, "Sending a test…");
    try {
      const answer = await api.pingWebhook(id);
      const took = `in ${answer.latency_ms} ms`;
      if (answer.ok) {
        this.message(item, `Test delivered: the endpoint answered ${answer.status} ${took}.`, "success");
      } else if (answer.status !== null) {
        this.message(item, `Test failed: the endpoint answered ${answer.status} ${took}.`, "error");
      } else {
        this.message(item, `Test failed ${took}: ${answer.error ?? "no answer"}.`, "error");
      }
    } catch (error) {
      this.message(item, `The test was not sent: ${error.message}`, "error");
    } finally {
      button.disabled = false;
      // A disabled button loses focus: it goes back where it was.
      if (document.activeElement === document.body) button.focus();
    }
  }

  async toggle(id, item) {
    const hook = this.hook(id);
    if (this.readOnly || !hook) return;
    const button = item.querySelector(".hook-toggle");
    button.disabled = true;
    try {
      const updated = await api.updateWebhook(id, { enabled: !hook.enabled });
      this.replace(updated);
      this.message(item, updated.enabled ? "Enabled: events are sent again." : "Disabled: no events are sent.",
        "success");
    } catch (error) {
      this.message(item, error.message, "error");
    } finally {
      button.disabled = false;
      button.focus();
    }
  }

  async rotate(id, item) {
    const hook = this.hook(id);
    if (this.readOnly || !hook) return;
    const button = item.querySelector(".hook-rotate");
    button.disabled = true;
    try {
      const { secret, previous_valid_until: until } = await api.rotateWebhookSecret(id);
      this.message(item, until
        ? `New secret made; the old one also signs until ${formatDateTime(new Date(until))}.`
        : "New secret made.", "success");
      this.showSecret(item.querySelector(".hook-secret-slot"), hook, secret, `hook-secret-${id}`,
        { lead: "New signing secret", returnTo: button });
    } catch (error) {
      this.message(item, error.message, "error");
    } finally {
      button.disabled = false;
    }
  }

  confirmDelete(id, item) {
    const hook = this.hook(id);
    if (this.readOnly || !hook || item.querySelector(".confirm")) return;
    confirmDelete({
      buttons: item.querySelector(".hook-actions"), returnTo: item.querySelector(".hook-delete"),
      question: `Delete ${nameOf(hook)} and its delivery log? Its endpoint is sent nothing more.`,
      remove: async () => {
        try {
          await api.deleteWebhook(id);
        } catch (error) {
          // Already gone is as good as deleted.
          if (!(error instanceof ApiError && error.status === 404)) throw error;
        }
        this.hooks = this.hooks.filter((h) => h.id !== id);
        this.render();
        announce(`${nameOf(hook)} deleted.`);
        this.heading.focus();
      },
      failed: (error) => this.message(item, error.message, "error"),
    });
  }
}
