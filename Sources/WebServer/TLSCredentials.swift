import COpenSSL

/// The files HTTPS and WSS are served with: a PEM certificate, optionally followed by its
/// intermediates, and the certificate's unencrypted PEM private key.
public struct TLSCredentials: Sendable, Equatable {
  public var certificatePath: String
  public var privateKeyPath: String

  public init(certificatePath: String, privateKeyPath: String) {
    self.certificatePath = certificatePath
    self.privateKeyPath = privateKeyPath
  }
}

/// Why the TLS files cannot serve, naming the file at fault.
public struct TLSCredentialsError: Error, Sendable, CustomStringConvertible {
  public enum File: Sendable {
    case certificate
    case privateKey
  }

  public let file: File
  public let message: String

  public var description: String { message }
}

extension TLSCredentials {
  /// Loads the files as libwebsockets will, with OpenSSL, so that a file it would reject fails
  /// the start with the reason and the file named, where lws only fails to create its context.
  public func validate() throws(TLSCredentialsError) {
    guard let context = SSL_CTX_new(TLS_server_method()) else {
      throw TLSCredentialsError(file: .certificate, message: "OpenSSL cannot start: \(Self.lastError())")
    }
    defer { SSL_CTX_free(context) }
    SSL_CTX_set_default_passwd_cb(context, portfolio_ssl_no_passphrase)
    ERR_clear_error()
    // The key first: loaded after the certificate, a key of another certificate fails as an
    // unreadable key; loaded before, the certificate replaces it and the check below says why.
    guard SSL_CTX_use_PrivateKey_file(context, privateKeyPath, portfolio_ssl_filetype_pem) == 1 else {
      throw TLSCredentialsError(
        file: .privateKey,
        message: "\(privateKeyPath) is not an unencrypted PEM private key: \(Self.lastError())")
    }
    guard SSL_CTX_use_certificate_chain_file(context, certificatePath) == 1 else {
      throw TLSCredentialsError(
        file: .certificate,
        message: "\(certificatePath) is not a PEM certificate (chain): \(Self.lastError())")
    }
    guard SSL_CTX_check_private_key(context) == 1 else {
      ERR_clear_error()
      throw TLSCredentialsError(
        file: .privateKey,
        message: "the key in \(privateKeyPath) does not belong to the certificate in \(certificatePath)")
    }
  }

  /// OpenSSL's queued errors as text, oldest (the cause) first; the queue is left empty.
  private static func lastError() -> String {
    var reasons: [String] = []
    var buffer = [CChar](repeating: 0, count: 256)
    while case let code = ERR_get_error(), code != 0 {
      ERR_error_string_n(code, &buffer, buffer.count)
      let reason = RequestReader.string(buffer)
      if reasons.count < 3, !reasons.contains(reason) { reasons.append(reason) }
    }
    return reasons.isEmpty ? "no reason given" : reasons.joined(separator: "; ")
  }
}
