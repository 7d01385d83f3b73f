// Text for amounts, addresses, money and times. Balances stay exact: they arrive as decimal
// strings and are summed as BigInt base units, never as floating point.

const DIGITS = /^\d+$/;

/** Base units (BigInt) as an exact decimal string, without trailing zeros. */
export function formatUnits(raw, decimals) {
  const negative = raw < 0n;
  const digits = (negative ? -raw : raw).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return (negative ? "-" : "") + whole + (fraction ? "." + fraction : "");
}

/** A decimal string in base units of `decimals`; null if it is not a plain decimal. */
export function parseUnits(text, decimals) {
  const [whole, fraction = ""] = String(text).split(".");
  if (!DIGITS.test(whole) || (fraction && !DIGITS.test(fraction))) return null;
  const kept = fraction.slice(0, decimals).padEnd(decimals, "0");
  return BigInt(whole + kept);
}

/** The viewer's digit grouping and decimal mark, from Intl.NumberFormat. */
const SEPARATORS = (() => {
  const parts = new Intl.NumberFormat(undefined).formatToParts(1234567.5);
  return {
    group: parts.find((p) => p.type === "group")?.value ?? ",",
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
  };
})();

/** Exact digits written the viewer's way: "1234567" and "5" → "1,234,567.5" (en-US), "1.234.567,5" (de). */
export function localDecimal(whole, fraction = "") {
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, SEPARATORS.group);
  return fraction ? `${grouped}${SEPARATORS.decimal}${fraction}` : grouped;
}

/**
 * An exact amount trimmed for reading: at most `maxFraction` decimals for amounts of 1 and
 * more, four significant digits below 1. `text` is what to show, `exact` the full value and
 * `approx` whether the two differ.
 */
export function displayAmount(amount, maxFraction = 6) {
  const exact = String(amount);
  const [whole, fraction = ""] = exact.split(".");
  if (!DIGITS.test(whole) || (fraction && !DIGITS.test(fraction))) {
    return { text: exact, exact, approx: false };
  }
  let keep = maxFraction;
  if (/^0+$/.test(whole)) {
    const first = fraction.search(/[1-9]/);
    if (first >= 0) keep = Math.max(maxFraction, first + 4);
  }
  if (fraction.length <= keep) {
    return { text: localDecimal(whole, fraction), exact, approx: false };
  }
  // Round half up on the digits themselves.
  let scaled = BigInt(whole + fraction.slice(0, keep));
  if (fraction.charCodeAt(keep) >= 53 /* "5" */) scaled += 1n;
  const rounded = formatUnits(scaled, keep);
  const [roundedWhole, roundedFraction] = rounded.split(".");
  const text = localDecimal(roundedWhole, roundedFraction ?? "");
  return { text, exact, approx: true };
}

/** `0xd8dA…6045`: enough to recognise an address, short enough for a table cell. */
export function shortAddress(address) {
  const text = String(address);
  const head = text.startsWith("0x") ? 6 : 4;
  return text.length > head + 6 ? `${text.slice(0, head)}…${text.slice(-4)}` : text;
}

/** "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function relativeTime(date, now = Date.now()) {
  if (!date) return "never";
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
});

export function formatDateTime(date) {
  return date ? dateTimeFormat.format(date) : "";
}

/** Chain names as people write them. */
export function chainName(chain) {
  const names = { bsc: "BNB Smart Chain" };
  return names[chain] ?? chain.charAt(0).toUpperCase() + chain.slice(1);
}
