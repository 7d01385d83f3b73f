/// The areas of the API, as the document groups its operations.
enum Tag: String, CaseIterable {
  case wallets
  case importing = "import"
  case balances
  case portfolio
  case tokens
  case users
  case accessTokens = "access-tokens"
  case webhooks
  case push
  case alerts
  case chains
  case backups
  case probes
  case stream
  case meta

  static var all: [Tag] { allCases }

  var description: String {
    switch self {
    case .wallets: "Tracked wallets: add, list, read, relabel and delete."
    case .importing: "Many wallets at once, from JSON or CSV, answered row by row."
    case .balances: "A wallet's balances and the history of their changes."
    case .portfolio: "Totals over every wallet, now and over time, valued in USD."
    case .tokens: "Tokens tracked beyond the built-in list."
    case .users: "The people who share this server (admin)."
    case .webhooks: "Endpoints sent the user's events, signed (Standard Webhooks), in order, until accepted."
    case .push: "Web Push to browsers and phones: the server's VAPID key and the user's subscriptions."
    case .alerts: "Alert rules: values crossing a level, balances moving, wallet activity."
    case .accessTokens: "Access tokens: issued, listed and revoked by admins; and who a token acts for."
    case .backups: "Backups of the database (admin)."
    case .chains: "The enabled chains, with their native coin and block explorer."
    case .probes: "Health, readiness and liveness, for people and orchestrators."
    case .stream: "The live WebSocket stream."
    case .meta: "This document."
    }
  }
}
