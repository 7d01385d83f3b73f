/// The columns of each list's CSV export, in order: what the server writes and the document
/// promises.
public enum CSVColumns {
  /// `chain`, `address` and `label` first, so the file imports back.
  public static let wallets = ["chain", "address", "label", "id", "created_at"]
  public static let holdings = [
    "chain", "asset", "token", "decimals", "amount", "price", "usd", "wallets", "price_source", "price_at",
  ]
  public static let portfolioHistory = ["time", "usd", "unpriced_assets"]
  public static let walletHistory = [
    "at", "seq", "chain", "asset", "token", "old", "new", "usd", "usd_delta", "price", "block", "wallet",
  ]
}
