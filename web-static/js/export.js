// CSV downloads: the server answers CSV for `Accept: text/csv` with the file's name in
// `content-disposition`. The request carries the access token held (so it goes through the API,
// not a plain link), and the answer is saved from a Blob under the server's name.

import { api } from "./api.js";
import { announce, h } from "./dom.js";

/** Downloads `path` as CSV; `button` is busy meanwhile. Resolves to the file name. */
export async function downloadCsv(path, button = null) {
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  try {
    const { blob, filename } = await api.csv(path);
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: filename, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    announce(`Downloaded ${filename}.`);
    return filename;
  } catch (error) {
    announce(`The export failed: ${error.message}`);
    throw error;
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
}

/** Makes `button` download what `path()` names; errors are announced. */
export function exportButton(button, path) {
  button.addEventListener("click", () => downloadCsv(path(), button).catch(() => {}));
}
