/// Takes the secrets out of a node URL before it is shown anywhere (health, logs, errors).
///
/// Providers put API keys in three places: the userinfo (`https://user:pass@host`), the query
/// (`?apikey=…`) and the path (Alchemy `/v2/<key>`, Infura `/v3/<key>`, QuickNode
/// `/<token>/`). The userinfo, the query and the fragment are dropped; a path segment that
/// looks like a key becomes `***`. Scheme, host, port and the other segments stay, so a
/// person can still tell which node is meant.
public enum URLRedaction {
  public static let mask = "***"

  /// The URL without its secrets; a URL that has none comes back unchanged.
  public static func redact(_ url: String) -> String {
    var rest = Substring(url)
    var scheme = ""
    if let separator = rest.range(of: "://") {
      scheme = String(rest[..<separator.upperBound])
      rest = rest[separator.upperBound...]
    }
    // The fragment and the query go first: either may hold an `@` or a `/`.
    if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
    let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
    var authority = rest[..<authorityEnd]
    // The last `@` ends the userinfo: a password may contain `@` only percent-encoded, but
    // taking the last one is safe either way.
    if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
    let path = rest[authorityEnd...]
    return scheme + authority + redactPath(path)
  }

  /// `text` with every URL in it redacted, for error messages that quote a URL.
  public static func redactURLs(in text: String) -> String {
    guard text.contains("://") else { return text }
    var output = ""
    var index = text.startIndex
    while let separator = text[index...].range(of: "://") {
      // Back up over the scheme's letters to where the URL begins.
      var start = separator.lowerBound
      while start > index, isSchemeCharacter(text[text.index(before: start)]) {
        start = text.index(before: start)
      }
      // A URL ends at a character that may not appear in one, unencoded.
      let end = text[separator.upperBound...].firstIndex(where: endsURL) ?? text.endIndex
      output += text[index..<start]
      output += redact(String(text[start..<end]))
      index = end
    }
    output += text[index...]
    return output
  }

  private static func redactPath(_ path: Substring) -> String {
    guard !path.isEmpty else { return "" }
    var previous: Substring = ""
    let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
      defer { previous = segment }
      return looksLikeKey(segment, after: previous) ? mask : String(segment)
    }
    return segments.joined(separator: "/")
  }

  /// At least 16 token characters that follow a version (`/v2/<key>`), are 32 or more hex
  /// digits, mix upper case, lower case and digits, or hold a run of 12 letters and digits
  /// that mixes both. Random keys look so; words and route names (`polygon2-mainnet`,
  /// `ethereum-mainnet-archive`, `getBalanceHistory`) do not.
  static func looksLikeKey(_ segment: Substring, after previous: Substring) -> Bool {
    guard segment.count >= 16, segment.allSatisfy(isTokenCharacter) else { return false }
    if isVersion(previous) || (segment.count >= 32 && segment.allSatisfy(\.isHexDigit)) { return true }
    if segment.contains(where: \.isUppercase), segment.contains(where: \.isLowercase),
      segment.contains(where: \.isNumber)
    {
      return true
    }
    return segment.split(whereSeparator: { $0 == "-" || $0 == "_" }).contains { run in
      run.count >= 12 && run.contains(where: \.isNumber) && run.contains(where: \.isLetter)
    }
  }

  private static func isVersion(_ segment: Substring) -> Bool {
    guard segment.count >= 2, segment.first == "v" || segment.first == "V" else { return false }
    return segment.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
  }

  private static func isTokenCharacter(_ character: Character) -> Bool {
    character.isASCII && (character.isLetter || character.isNumber || "-_=%".contains(character))
  }

  private static func isSchemeCharacter(_ character: Character) -> Bool {
    character.isASCII && (character.isLetter || character.isNumber || "+-.".contains(character))
  }

  private static func endsURL(_ character: Character) -> Bool {
    character.isWhitespace || "\"<>`\\{}|^".contains(character)
  }
}
