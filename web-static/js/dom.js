// Small DOM functions shared by the views.

import { formatDateTime, relativeTime } from "./format.js";

/** `h("td", {class: "num"}, "text", child)`: an element with attributes and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

/** A `<time>` saying how long ago `iso` was, with the date and time as its title. */
export function timeElement(iso) {
  const at = new Date(iso);
  return h("time", { datetime: at.toISOString(), title: formatDateTime(at) }, relativeTime(at));
}

const FLASH_MS = 1600;

/** Marks a value that just changed; the CSS animates it (or holds a tint under reduced motion). */
export function flash(element) {
  element.classList.remove("flash");
  // Reading layout restarts the animation when the same value changes twice in a row.
  void element.offsetWidth;
  element.classList.add("flash");
  clearTimeout(element._flashTimer);
  element._flashTimer = setTimeout(() => element.classList.remove("flash"), FLASH_MS);
}

/**
 * Sets an element's text (and the exact value as its title when the text is rounded); flashes
 * it when a shown value changed.
 */
export function setValue(element, text, { title = null, animate = true } = {}) {
  // A title means the text is a rounded form of it: the CSS marks it as approximate.
  element.classList.toggle("approx", title !== null);
  if (title) element.title = title;
  else element.removeAttribute("title");
  const previous = element.dataset.value;
  if (previous === text) return false;
  element.textContent = text;
  element.dataset.value = text;
  if (animate && previous !== undefined) flash(element);
  return true;
}

let announcer = null;

/** Says something to screen readers without moving focus. */
export function announce(message) {
  announcer ??= document.getElementById("announcer");
  if (!announcer) return;
  announcer.textContent = "";
  // A fresh text node after clearing makes repeated messages heard again.
  setTimeout(() => (announcer.textContent = message), 30);
}

/** Copies text to the clipboard; works outside secure contexts too. */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Fall through to the selection-based copy.
    }
  }
  const area = h("textarea", { class: "offscreen", readonly: true, "aria-hidden": "true" }, text);
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

/**
 * Makes `container`'s keyed children match `items` in order, reusing the element of each key:
 * `create(item)` builds a new one, `update(element, item, isNew)` refreshes it. Children
 * without a key (a caption, a table head) stay first, untouched.
 */
export function reconcile(container, items, keyOf, create, update) {
  const keyed = [...container.children].filter((child) => child.dataset.key !== undefined);
  const existing = new Map(keyed.map((child) => [child.dataset.key, child]));
  const nextKeyed = (element) => {
    let next = element ? element.nextElementSibling : null;
    while (next && next.dataset.key === undefined) next = next.nextElementSibling;
    return next;
  };
  let cursor = keyed[0] ?? null;
  for (const item of items) {
    const key = String(keyOf(item));
    let element = existing.get(key);
    const isNew = !element;
    if (isNew) {
      element = create(item);
      element.dataset.key = key;
    }
    existing.delete(key);
    update(element, item, isNew);
    if (element === cursor) cursor = nextKeyed(cursor);
    else container.insertBefore(element, cursor);
  }
  for (const stale of existing.values()) stale.remove();
}
