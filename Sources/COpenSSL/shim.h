#ifndef PORTFOLIO_COPENSSL_SHIM_H
#define PORTFOLIO_COPENSSL_SHIM_H
/* OpenSSL, for checking the server's certificate and key before libwebsockets loads them. */
#include <openssl/err.h>
#include <openssl/ssl.h>

/* Expression macros do not import into Swift: expose them as constants. */
static const int portfolio_ssl_filetype_pem = SSL_FILETYPE_PEM;

/* Refuses to ask for a pass phrase: an encrypted key fails to load instead of prompting on
 * the terminal the server may not have. */
static inline int portfolio_ssl_no_passphrase(char *buffer, int size, int rwflag, void *user) {
  (void)buffer; (void)size; (void)rwflag; (void)user;
  return 0;
}
#endif
