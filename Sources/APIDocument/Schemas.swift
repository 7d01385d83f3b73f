import OpenAPIKit

/// Schema pieces shared by every area: how the server spells ids, times, chains and amounts.
enum Schemas {
  /// A schema of the components, by name.
  static func ref(_ name: String, required: Bool = true, description: String? = nil) -> JSONSchema {
    .reference(.component(named: name), required: required, description: description)
  }

  /// A referenced schema, or null.
  static func nullableRef(_ name: String, required: Bool = true) -> JSONSchema {
    .any(of: ref(name), .null(), required: required)
  }

  static let walletID = JSONSchema.string(format: .uuid, description: "A wallet's id, a UUID in lower case.")

  static func dateTime(nullable: Bool = false, required: Bool = true, description: String? = nil)
    -> JSONSchema
  {
    .string(
      format: .dateTime, required: required, nullable: nullable,
      description: description ?? "ISO-8601 UTC with milliseconds.")
  }

  /// Chain names as responses spell them: lower case.
  static let chain = JSONSchema.string(
    description:
      "A chain's name in lower case: ethereum, solana, polygon, arbitrum, optimism, base, bsc, or one configured.",
    examples: ["ethereum"])

  /// A chain named in a request: case and surrounding blanks do not matter.
  static let chainInput = JSONSchema.string(
    description:
      "A chain the server tracks, e.g. ethereum or solana (case does not matter); another answers 400 with `supported_chains`.",
    examples: ["ethereum"])

  /// An EIP-55 address on EVM chains, base58 on Solana; null for a chain's native coin.
  static func token(required: Bool = true) -> JSONSchema {
    .string(
      required: required, nullable: true,
      description: "The token's contract (EIP-55) or mint (base58); null for the chain's native coin.")
  }

  static let raw = JSONSchema.string(
    description: "An exact amount in base units, as a decimal integer.", pattern: "^[0-9]+$")

  static let amount = JSONSchema.string(
    description: "An exact amount in the token's units, as decimal text.", pattern: "^[0-9]+(\\.[0-9]+)?$")

  static let decimals = JSONSchema.integer(minimum: (0, exclusive: false))

  /// USD values: two to six digits after the point, null without a price.
  static func usd(nullable: Bool = true, signed: Bool = false, description: String? = nil) -> JSONSchema {
    .string(
      nullable: nullable,
      description: description ?? "A USD value with two to six digits after the point; null when unpriced.",
      pattern: signed ? "^-?[0-9]+\\.[0-9]{2,6}$" : "^[0-9]+\\.[0-9]{2,6}$")
  }

  /// The price fields of a valued entry: all null without a price.
  static let priceFields: [(String, JSONSchema)] = [
    (
      "price",
      .string(
        nullable: true, description: "The asset's USD price, exact decimal text; null when unpriced.",
        pattern: "^[0-9]+(\\.[0-9]+)?$")
    ),
    (
      "price_source",
      .string(
        nullable: true, description: "Where the price came from; null when unpriced.",
        allowedValues: "coingecko", "chainlink", "fixed", nil)
    ),
    (
      "price_at", dateTime(nullable: true, description: "When the source gave the price; null when unpriced.")
    ),
  ]

  /// An object with the given properties in order; unknown members are allowed, since
  /// answers may gain members.
  static func object(
    _ properties: [(String, JSONSchema)], description: String? = nil, nullable: Bool = false,
    required: Bool = true
  ) -> JSONSchema {
    .object(
      required: required, nullable: nullable, description: description,
      properties: OrderedDictionary(properties, uniquingKeysWith: { $1 }))
  }

  /// A request body object: members other than these are refused with 400.
  static func closedObject(_ properties: [(String, JSONSchema)], description: String? = nil) -> JSONSchema {
    .object(
      description: description, properties: OrderedDictionary(properties, uniquingKeysWith: { $1 }),
      additionalProperties: .a(false))
  }
}
