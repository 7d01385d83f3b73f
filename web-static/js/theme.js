// The colour theme: the system's setting, or light or dark as picked with the header's switch.
// The pick is kept in localStorage; theme-early.js applies it before the first paint.

const KEY = "portfolio-theme";
const ORDER = ["system", "light", "dark"];
const LABEL = { system: "Theme: system", light: "Theme: light", dark: "Theme: dark" };

function stored() {
  try {
    const value = localStorage.getItem(KEY);
    return ORDER.includes(value) ? value : "system";
  } catch {
    return "system";
  }
}

function apply(theme, button) {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  button.textContent = LABEL[theme];
  button.title = "Switch between the system's colours, light and dark";
}

export function initThemeSwitch(button) {
  let theme = stored();
  apply(theme, button);
  button.addEventListener("click", () => {
    theme = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length];
    try {
      if (theme === "system") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, theme);
    } catch {
      // Storage may be unavailable (private mode): the pick lasts for this page.
    }
    apply(theme, button);
  });
}
