// The inline "Delete …? [Delete] [Cancel]" that stands in for an item's action buttons until the
// person decides: wallets, alert rules and webhooks ask it the same way.

import { h } from "./dom.js";

/**
 * Hides `buttons` and shows `question` with Delete and Cancel after them, Delete focused.
 * Cancel or Escape put the buttons back and focus `returnTo`. Delete runs `remove()`; when it
 * throws, `failed(error)` is told and the buttons come back.
 */
export function confirmDelete({ buttons, returnTo, question, remove, failed }) {
  const restore = () => {
    confirm.remove();
    buttons.hidden = false;
    returnTo.focus();
  };
  const yes = h("button", { type: "button", class: "danger confirm-delete" }, "Delete");
  const confirm = h("div", { class: "confirm", role: "group", "aria-label": "Confirm deletion" },
    h("span", {}, question), " ",
    yes, h("button", { type: "button", class: "confirm-cancel", onclick: restore }, "Cancel"));
  confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") restore();
  });
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    try {
      await remove();
    } catch (error) {
      failed(error);
      restore();
    }
  });
  buttons.hidden = true;
  buttons.after(confirm);
  yes.focus();
}
