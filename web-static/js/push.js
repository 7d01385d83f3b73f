// This browser's side of Web Push: the service worker (sw.js) and its push subscription.
//
// The subscription lives in the browser's push manager only; the page keeps nothing about it
// in storage, and finds the server's record of it by its endpoint. When the push service
// replaces it, sw.js notes a SHA-256 of the old endpoint in IndexedDB, under the names below,
// for the dashboard to replace the server's record of it.

/** How long the browser's push service may take to subscribe before the page gives up. */
export const SUBSCRIBE_TIMEOUT_MS = 20000;

/** sw.js registered for the whole origin, or null where service workers are unavailable. */
let registering = null;

/** Registers sw.js (once); resolves to its registration once it is active, or throws. */
export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return Promise.reject(new Error("service workers are not available here"));
  registering ??= navigator.serviceWorker
    .register("/sw.js", { scope: "/", updateViaCache: "none" })
    .then(() => navigator.serviceWorker.ready);
  return registering;
}

/**
 * Why this browser cannot get push messages, or null when it can: "insecure" (neither HTTPS
 * nor localhost), "ios-home-screen" (iOS offers push only to apps added to the Home Screen) or
 * "unsupported".
 */
export function pushUnavailable() {
  if (!window.isSecureContext) return "insecure";
  if ("serviceWorker" in navigator && "PushManager" in window && "Notification" in window) return null;
  const ios = /iPhone|iPad|iPod/.test(navigator.userAgent)
    || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  return ios && navigator.standalone !== true ? "ios-home-screen" : "unsupported";
}

/** A base64url text as bytes (the VAPID key the server gives). */
export function base64UrlBytes(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** Whether `subscription` was made with `key` (bytes): another key means another server's. */
function madeWith(subscription, key) {
  const used = subscription.options?.applicationServerKey;
  if (!used) return true;
  const bytes = new Uint8Array(used);
  return bytes.length === key.length && bytes.every((b, i) => b === key[i]);
}

/**
 * The browser's push subscription for the server key `key` (bytes): the one it holds, or a new
 * one. Throws a PushError with a sentence for the user when the browser or its push service fails.
 */
export async function subscribe(registration, key) {
  let current = await registration.pushManager.getSubscription();
  if (current && !madeWith(current, key)) {
    await current.unsubscribe();
    current = null;
  }
  if (current) return current;
  let timer;
  const pending = registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new PushError(
      `the browser's push service did not answer within ${SUBSCRIBE_TIMEOUT_MS / 1000} s`)), SUBSCRIBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([pending, timeout]);
  } catch (error) {
    // A subscription that arrives after the page gave up is not left behind.
    pending.then((late) => late.unsubscribe(), () => {});
    if (error instanceof PushError) throw error;
    throw new PushError(`the browser could not subscribe (${error.name}: ${error.message})`);
  } finally {
    clearTimeout(timer);
  }
}

export class PushError extends Error {}

const RENEWAL_DB = "portfolio-push";
const CHANGED_STORE = "changed-endpoints";

/** The SHA-256 of an endpoint, in hex, as sw.js notes it. */
export async function endpointHash(endpoint) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(endpoint));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Runs `work(store)` in a transaction of sw.js's database; null when sw.js never made one. */
async function withChangedStore(mode, work) {
  // Opening would make the database: a browser whose subscription never changed keeps none.
  const names = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [RENEWAL_DB];
  if (!names.includes(RENEWAL_DB)) return null;
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(RENEWAL_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(CHANGED_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(CHANGED_STORE, mode);
      const request = work(transaction.objectStore(CHANGED_STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** The hashes of the endpoints sw.js saw replaced, not yet sent to the server in their place. */
export async function changedEndpoints() {
  return new Set((await withChangedStore("readonly", (store) => store.getAllKeys())) ?? []);
}

/** Forgets them all, once the server holds the current subscription. */
export async function forgetChangedEndpoints() {
  await withChangedStore("readwrite", (store) => store.clear());
}
