extension PublishedVectors {
  /// RFC 8292 §2.4 (Example): the Authorization header of a push request and its decoded JWK, as
  /// in the working group's source of the RFC, github.com/webpush-wg/webpush-vapid,
  /// draft-ietf-webpush-vapid.md.
  enum RFC8292 {
    static let token =
      "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3"
      + "B1c2guZXhhbXBsZS5uZXQiLCJleHAiOjE0NTM1MjM3NjgsInN1YiI6Im1ha"
      + "Wx0bzpwdXNoQGV4YW1wbGUuY29tIn0.i3CYb7t4xfxCDquptFOepC9GAu_H"
      + "LGkMlMuCGSK2rpiUfnK9ojFwDXb1JrErtmysazNjjvW2L9OkSSHzvoD1oA"
    static let publicKey =
      "BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dR"
      + "uU_RCPCfA5aq9ojSwk5Y2EmClBPs"
    static let jwkX = "DUfHPKLVFQzVvnCPGyfucbECzPDa7rWbXriLcysAjEc"
    static let jwkY = "F6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs"
    static let audience = "https://push.example.net"
    static let expiry: Int64 = 1_453_523_768
    static let subject = "mailto:push@example.com"
  }
}
