// The theme picked with the header's switch (see theme.js), applied before the first paint.
// A classic script, not a module, so the browser runs it before it draws anything; a file,
// not inline, so the Content-Security-Policy needs no exception for inline scripts.
try {
  const theme = localStorage.getItem("portfolio-theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch {}
