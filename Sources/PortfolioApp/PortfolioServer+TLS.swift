import PortfolioConfig
import WebServer

extension PortfolioServer {
  /// The TLS files, loaded once before anything starts: a file OpenSSL cannot use is a
  /// configuration error naming its key, like any other bad value.
  static func checkedTLS(_ files: AppConfig.TLSFiles) throws(ConfigError) -> TLSCredentials {
    let credentials = TLSCredentials(
      certificatePath: files.certificatePath, privateKeyPath: files.privateKeyPath)
    do {
      try credentials.validate()
    } catch {
      let key = error.file == .certificate ? "server.tls_cert" : "server.tls_key"
      throw ConfigError(key: key, message: error.message)
    }
    return credentials
  }
}
