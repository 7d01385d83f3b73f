// The chains the server reads (GET /api/v1/chains): their family, native coin and block
// explorer, for chain badges, explorer links and the add form's chain menu.

import { chainName } from "./format.js";

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BASE58_ADDRESS = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

export class ChainCatalog extends EventTarget {
  constructor() {
    super();
    /** name → {name, family, chain_id, native_symbol, native_decimals, explorer} */
    this.chains = new Map();
  }

  /** Takes the answer of GET /api/v1/chains; emits "change". */
  set(body) {
    this.chains = new Map((body.chains ?? []).map((c) => [c.name, c]));
    this.dispatchEvent(new Event("change"));
  }

  get names() {
    return [...this.chains.keys()].sort((a, b) => (a === "ethereum" ? -1 : b === "ethereum" ? 1 : a.localeCompare(b)));
  }

  family(chain) {
    return this.chains.get(chain)?.family ?? (chain === "solana" ? "solana" : "evm");
  }

  /** The explorer's page of an address on `chain`, or null when the chain has no explorer. */
  addressUrl(chain, address) {
    return fill(this.chains.get(chain)?.explorer?.address, "{address}", address);
  }

  /** The explorer's page of a token (contract or mint) on `chain`, or null. */
  tokenUrl(chain, token) {
    return fill(this.chains.get(chain)?.explorer?.token, "{token}", token);
  }

  /** The explorer's name as people know it: its host without "www.". */
  explorerName(chain) {
    const url = this.chains.get(chain)?.explorer?.url;
    if (!url) return null;
    try {
      return new URL(url).host.replace(/^www\./, "");
    } catch {
      return null;
    }
  }

  /**
   * The chain an address belongs to by its form: an EVM address keeps `current` when that is an
   * EVM chain, else Ethereum; a base58 one is Solana. Null when the form says nothing.
   */
  guess(address, current) {
    const text = address.trim();
    const evm = this.names.filter((c) => this.family(c) === "evm");
    if (EVM_ADDRESS.test(text)) {
      if (current && this.family(current) === "evm") return current;
      return evm.includes("ethereum") ? "ethereum" : evm[0] ?? "ethereum";
    }
    if (BASE58_ADDRESS.test(text)) return "solana";
    return null;
  }
}

function fill(template, slot, value) {
  if (typeof template !== "string" || !template.includes(slot)) return null;
  return template.replace(slot, encodeURIComponent(value));
}

/** A chain badge's text: its name. */
export const badgeText = chainName;
