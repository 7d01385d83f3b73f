// The dashboard's service worker: shows the server's Web Push messages as notifications, brings
// the dashboard forward when one is clicked, and subscribes again when the push service ends
// this browser's subscription.
//
// It caches nothing and handles no fetch: balances and values read from a cache could be stale
// without saying so, so the page always reads them from the server.

const FALLBACK_TITLE = "Portfolio";
const ICON = "/icons/icon-192.png";
const BADGE = "/icons/badge-96.png";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/** The message the server sent: {title, body, url, seq, type}; a text one becomes the body. */
function readMessage(data) {
  if (!data) return {};
  try {
    const message = data.json();
    return message && typeof message === "object" ? message : { body: String(message) };
  } catch {
    return { body: data.text() };
  }
}

/** `url` if it is a page of this origin, else the dashboard itself: a message opens nothing else. */
function ownPage(url) {
  try {
    const target = new URL(url || "/", self.location.origin);
    if (target.origin === self.location.origin) return target.href;
  } catch {
    // Not a URL: the dashboard.
  }
  return new URL("/", self.location.origin).href;
}

self.addEventListener("push", (event) => {
  const message = readMessage(event.data);
  const type = typeof message.type === "string" && message.type ? message.type : "portfolio";
  // One notification per event type: a newer one replaces the last of its kind, and still alerts.
  event.waitUntil(self.registration.showNotification(
    typeof message.title === "string" && message.title ? message.title : FALLBACK_TITLE, {
      body: typeof message.body === "string" ? message.body : "",
      tag: type,
      renotify: true,
      icon: ICON,
      badge: BADGE,
      data: { url: ownPage(message.url), seq: message.seq ?? null, type },
    }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = ownPage(event.notification.data?.url);
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    // An open dashboard is brought forward (the same page first); otherwise one is opened.
    const open = windows.find((client) => client.url === url)
      ?? windows.find((client) => new URL(client.url).origin === self.location.origin);
    if (open) {
      await open.focus();
      return;
    }
    await self.clients.openWindow(url);
  })());
});

// --- a subscription the push service replaced ---------------------------------------------------
//
// The worker holds no access token, so it cannot give the server the new subscription itself:
// it notes which endpoint changed and tells the open dashboards, and a dashboard (now, or when
// it next loads) sends the new one in place of the server's record of the old one (notify.js).
// The note keeps only a SHA-256 of the old endpoint, in IndexedDB; push.js reads and clears it
// with the same names.

const RENEWAL_DB = "portfolio-push";
const CHANGED_STORE = "changed-endpoints";

function openRenewalDB() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(RENEWAL_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(CHANGED_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function endpointHash(endpoint) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(endpoint));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function noteChangedEndpoint(endpoint) {
  const key = await endpointHash(endpoint);
  const db = await openRenewalDB();
  try {
    await new Promise((resolve, reject) => {
      const write = db.transaction(CHANGED_STORE, "readwrite");
      write.objectStore(CHANGED_STORE).put(Date.now(), key);
      write.oncomplete = resolve;
      write.onerror = () => reject(write.error);
    });
  } finally {
    db.close();
  }
}

/** A new subscription made with the old one's options (its server key), or null. */
async function subscribeAgain(old) {
  const key = old?.options?.applicationServerKey;
  if (!key) return null;
  try {
    return await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  } catch {
    // The dashboard says the device is no longer notified; turning it on again subscribes anew.
    return null;
  }
}

async function renewSubscription(old, fresh) {
  const subscription = fresh ?? (await subscribeAgain(old));
  // Noted even when the endpoint stayed: its keys changed, and the server's record must follow.
  if (old?.endpoint) {
    try {
      await noteChangedEndpoint(old.endpoint);
    } catch {
      // Without the note only a dashboard open now (told the old endpoint below) replaces the record.
    }
  }
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    client.postMessage({ type: "push-subscription-changed", old_endpoint: old?.endpoint ?? null });
  }
}

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(renewSubscription(event.oldSubscription ?? null, event.newSubscription ?? null));
});
