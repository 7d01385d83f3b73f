// The dashboard's service worker: shows the server's Web Push messages as notifications and
// brings the dashboard forward when one is clicked.
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
