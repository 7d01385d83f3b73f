// The "Notify me" switch: Web Push to this browser for the signed-in user.
//
// Turning it on asks for the notification permission, subscribes the browser's push manager
// with the server's VAPID key and gives the server the subscription (alerts, and balance
// changes when asked); turning it off deletes the server's record and unsubscribes the browser.
// The state line (a live region) says which of these is true: unavailable in this browser,
// blocked by the user, off, on, working, or what failed. Under a read-only token the controls
// are off (the server would answer 403) but the state is still shown.
//
// When the push service replaces the browser's subscription, sw.js subscribes again and says
// so; the switch (at once if the page is open, else on its next start) sends the new
// subscription in place of the server's record of the old one, with that record's event types.

import { api, ApiError } from "./api.js";
import {
  base64UrlBytes, changedEndpoints, endpointHash, forgetChangedEndpoints, pushUnavailable, registerServiceWorker,
  subscribe,
} from "./push.js";

const ALERTS = "alert.triggered";
const BALANCES = "balance.changed";
/** How long the service worker may take to start before the switch says it cannot. */
const WORKER_TIMEOUT_MS = 15000;

const UNAVAILABLE = {
  insecure: "Push notifications need a secure connection: open the dashboard over HTTPS (or on localhost).",
  "ios-home-screen": "On iPhone and iPad, add the dashboard to the Home Screen (Share, then Add to Home Screen) "
    + "and open it from there to turn notifications on.",
  unsupported: "This browser cannot receive push notifications.",
};

const DENIED = "Notifications are blocked for this site. Allow them in the browser's site settings to turn them on.";

function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class NotifySwitch {
  /** `readOnly`: the id of the note saying why changing is off, or null when it is on. */
  constructor({ readOnly = null } = {}) {
    this.readOnly = readOnly;
    this.switch = document.getElementById("notify-switch");
    this.balances = document.getElementById("notify-balances");
    this.status = document.getElementById("notify-status");
    this.registration = null;
    this.busy = false;
    this.active = false;
    this.state = "checking";
    this.syncing = Promise.resolve();
    this.onWorkerMessage = (event) => {
      if (event.data?.type === "push-subscription-changed" && this.active && this.registration) {
        this.sync({ oldEndpoint: event.data.old_endpoint ?? null });
      }
    };
    this.switch.addEventListener("change", () => this.switched());
    this.balances.addEventListener("change", () => this.balancesSwitched());
    if (readOnly) {
      for (const input of [this.switch, this.balances]) {
        input.disabled = true;
        input.setAttribute("aria-describedby", `${readOnly} ${input.getAttribute("aria-describedby") ?? ""}`.trim());
      }
    }
  }

  get eventTypes() {
    return this.balances.checked ? [ALERTS, BALANCES] : [ALERTS];
  }

  /** Finds out whether this browser is subscribed for this user, and shows it. */
  async start() {
    this.active = true;
    const why = pushUnavailable();
    if (why) {
      this.show("unavailable", UNAVAILABLE[why]);
      return;
    }
    this.watchPermission();
    navigator.serviceWorker.addEventListener("message", this.onWorkerMessage);
    navigator.serviceWorker.startMessages();
    try {
      this.registration = await within(registerServiceWorker(), WORKER_TIMEOUT_MS, "the service worker");
    } catch (error) {
      this.show("unavailable", `Notifications cannot work here: ${error.message}.`);
      return;
    }
    await this.sync();
  }

  stop() {
    this.active = false;
    navigator.serviceWorker?.removeEventListener("message", this.onWorkerMessage);
  }

  /** The browser's subscription and the server's record of it, matched by endpoint, and every record. */
  async current() {
    const subscription = await this.registration.pushManager.getSubscription();
    if (!subscription) return { subscription: null, record: null, records: [] };
    const { subscriptions } = await api.pushSubscriptions();
    const record = subscriptions.find((s) => s.endpoint === subscription.endpoint) ?? null;
    return { subscription, record, records: subscriptions };
  }

  /** Reads the state again, one reading at a time (a worker's message may come during the first). */
  sync(options = {}) {
    this.syncing = this.syncing.then(() => this.syncNow(options));
    return this.syncing;
  }

  /** `oldEndpoint`: the endpoint sw.js just saw replaced, if it said. */
  async syncNow({ oldEndpoint = null } = {}) {
    if (!this.active) return;
    if (Notification.permission === "denied") {
      this.show("denied", DENIED);
      return;
    }
    try {
      const current = await this.current();
      const record = (await this.renew(current, oldEndpoint)) ?? current.record;
      if (!this.active) return;
      if (record) this.showOn(record);
      else this.show("off", "Off: this device is not notified.");
    } catch (error) {
      if (this.active) this.show("error", `This device's notifications could not be read: ${error.message}.`);
    }
  }

  /**
   * The server's record of a subscription the push service replaced (`oldEndpoint`, or one sw.js
   * noted) gives way to the browser's current one, with the same event types: answers the new
   * record, or null when there was nothing to replace (or a read-only token may not).
   */
  async renew({ subscription, records }, oldEndpoint) {
    if (!subscription || this.readOnly || this.busy) return null;
    const changed = await changedEndpoints().catch(() => new Set());
    if (oldEndpoint) changed.add(await endpointHash(oldEndpoint));
    if (changed.size === 0) return null;
    let old = null;
    for (const record of records) {
      if (changed.has(await endpointHash(record.endpoint))) old = record;
    }
    // The old endpoint is another user's (or already gone): that user's dashboard replaces it.
    if (!old) return null;
    const record = await api.addPushSubscription({ ...subscription.toJSON(), event_types: old.event_types });
    if (old.endpoint !== subscription.endpoint) {
      await api.deletePushSubscription(old.id).catch((error) => {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      });
    }
    await forgetChangedEndpoints().catch(() => {});
    return record;
  }

  /** A permission changed in the browser's settings while the page is open: shown at once. */
  async watchPermission() {
    try {
      const status = await navigator.permissions.query({ name: "notifications" });
      status.addEventListener("change", () => {
        if (this.active && !this.busy && this.registration) this.sync();
      });
    } catch {
      // Not every browser tells; the state is read again on the next visit.
    }
  }

  /**
   * Shows `state` (checking, unavailable, denied, off, busy, on, error) with `text`; the switch
   * follows, and is off where it cannot work.
   */
  show(state, text) {
    this.state = state;
    this.status.dataset.state = state;
    if (this.status.textContent !== text) this.status.textContent = text;
    const on = state === "on" || (state === "busy" && this.switch.checked);
    this.switch.checked = on;
    this.switch.setAttribute("aria-checked", String(on));
    const usable = !this.readOnly && !["checking", "unavailable", "denied"].includes(state);
    this.switch.disabled = !usable;
    this.balances.disabled = !usable;
    // While a change is under way the switch keeps focus (a disabled one would lose it) but
    // takes no other change.
    for (const input of [this.switch, this.balances]) {
      if (state === "busy") input.setAttribute("aria-disabled", "true");
      else input.removeAttribute("aria-disabled");
    }
  }

  showOn(record) {
    this.balances.checked = record.event_types.includes(BALANCES);
    const what = this.balances.checked ? "alerts and balance changes" : "alerts";
    this.show("on", `On: this device is notified of ${what}.`);
  }

  switched() {
    const wanted = this.switch.checked;
    if (this.busy || this.readOnly) {
      this.switch.checked = !wanted;
      return;
    }
    if (wanted) this.turnOn();
    else this.turnOff();
  }

  async turnOn() {
    this.busy = true;
    this.show("busy", "Turning on…");
    try {
      const permission = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
      if (permission === "denied") {
        this.show("denied", DENIED);
        return;
      }
      if (permission !== "granted") {
        this.show("off", "Off: notifications were not allowed, so nothing was turned on.");
        return;
      }
      const { public_key: key } = await api.vapidPublicKey();
      const subscription = await subscribe(this.registration, base64UrlBytes(key));
      let record;
      try {
        record = await api.addPushSubscription({ ...subscription.toJSON(), event_types: this.eventTypes });
      } catch (error) {
        // The server did not take it: the browser keeps no subscription nobody sends to.
        await subscription.unsubscribe().catch(() => {});
        throw error;
      }
      this.showOn(record);
    } catch (error) {
      this.show("error", `Notifications could not be turned on: ${NotifySwitch.reason(error)}.`);
    } finally {
      this.busy = false;
    }
  }

  async turnOff() {
    this.busy = true;
    this.switch.checked = true; // stays on until it really is off
    this.show("busy", "Turning off…");
    try {
      const { subscription, record } = await this.current();
      if (record) {
        try {
          await api.deletePushSubscription(record.id);
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 404)) throw error;
        }
      }
      await subscription?.unsubscribe();
      this.show("off", "Off: this device is no longer notified.");
    } catch (error) {
      this.show("on", `Still on: notifications could not be turned off: ${NotifySwitch.reason(error)}.`);
    } finally {
      this.busy = false;
    }
  }

  /** "Also balance changes" while on: the server is told the new event types. */
  async balancesSwitched() {
    if (this.busy || this.readOnly) {
      this.balances.checked = !this.balances.checked;
      return;
    }
    if (this.state !== "on") return; // a choice for the next time it is turned on
    this.busy = true;
    this.show("busy", "Saving…");
    try {
      const subscription = await this.registration.pushManager.getSubscription();
      if (!subscription) throw new Error("this browser is no longer subscribed");
      this.showOn(await api.addPushSubscription({ ...subscription.toJSON(), event_types: this.eventTypes }));
    } catch (error) {
      this.balances.checked = !this.balances.checked;
      this.show("on", `The change was not saved: ${NotifySwitch.reason(error)}.`);
    } finally {
      this.busy = false;
    }
  }

  static reason(error) {
    const text = error?.message || String(error);
    return text.replace(/\.$/, "");
  }
}
