// US dollars, exactly as the server computes them: prices are decimal strings, values BigInt
// micro-dollars (10^-6 USD), each balance rounded half up once, totals summed exactly.

import { localDecimal } from "./format.js";

const PRICE = /^(\d*)(?:\.(\d*))?$/;
const MICROS_PER_DOLLAR = 1000000n;

/** A price's decimal text as {significand, scale}; null for anything else or for zero. */
export function parsePrice(text) {
  if (typeof text !== "string") return null;
  const match = PRICE.exec(text);
  if (!match || (!match[1] && !match[2])) return null;
  const fraction = match[2] ?? "";
  const significand = BigInt((match[1] || "0") + fraction);
  return significand > 0n ? { significand, scale: fraction.length } : null;
}

/** The value of `raw` base units (BigInt) with `decimals` at `price` (text), in micro-dollars. */
export function valueMicros(raw, decimals, price) {
  const parsed = parsePrice(price);
  if (!parsed) return null;
  const numerator = raw * parsed.significand * MICROS_PER_DOLLAR;
  const denominator = 10n ** BigInt(decimals + parsed.scale);
  const quotient = numerator / denominator;
  return (numerator % denominator) * 2n >= denominator ? quotient + 1n : quotient;
}

/** The server's USD text ("1234.50", "-0.000123") as micro-dollars; null if it is not one. */
export function parseUsd(text) {
  const match = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(String(text ?? ""));
  if (!match) return null;
  const micros = BigInt(match[2] + (match[3] ?? "").padEnd(6, "0"));
  return match[1] ? -micros : micros;
}


/** Micro-dollars as "$1,234.56" (half up to the cent); "<$0.01" for a positive dust value. */
export function formatMicros(micros, { sign = false } = {}) {
  if (typeof micros !== "bigint") return null;
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  if (magnitude > 0n && magnitude < 5000n) return `${negative ? "−" : sign ? "+" : ""}<$${localDecimal("0", "01")}`;
  const cents = (magnitude + 5000n) / 10000n;
  const whole = (cents / 100n).toString();
  const fraction = (cents % 100n).toString().padStart(2, "0");
  const prefix = negative ? "−" : sign && magnitude > 0n ? "+" : "";
  return `${prefix}$${localDecimal(whole, fraction)}`;
}

/** A price for reading: cents above $1, four significant digits below. */
export function formatPrice(text) {
  const parsed = parsePrice(text);
  if (!parsed) return null;
  const [whole, fraction = ""] = text.includes(".") ? text.split(".") : [text, ""];
  if (/^0*$/.test(whole)) {
    const first = fraction.search(/[1-9]/);
    return `$${localDecimal("0", fraction.slice(0, first + 4).padEnd(2, "0"))}`;
  }
  return formatMicros(valueMicros(10n ** 0n, 0, text));
}

/** `part` of `whole` (BigInt) as a percentage with one decimal: "12.5%". */
export function share(part, whole) {
  if (typeof part !== "bigint" || typeof whole !== "bigint" || whole <= 0n) return null;
  const tenths = (part * 2000n + whole) / (whole * 2n);
  return `${tenths / 10n}.${tenths % 10n}%`;
}

/** A change against `before` as "+1.2%"; null without a base. */
export function changePercent(now, before) {
  if (typeof now !== "bigint" || typeof before !== "bigint" || before <= 0n) return null;
  const delta = now - before;
  const magnitude = delta < 0n ? -delta : delta;
  const tenths = (magnitude * 2000n + before) / (before * 2n);
  return `${delta < 0n ? "−" : "+"}${tenths / 10n}.${tenths % 10n}%`;
}

/** Decimals worth showing for an asset at `price` (text): about a cent's worth, from 2 to 8; 6 without a price. */
export function fractionDigitsFor(price) {
  const value = Number(price);
  if (!(value > 0)) return 6;
  return Math.max(2, Math.min(8, Math.ceil(Math.log10(value * 100))));
}
