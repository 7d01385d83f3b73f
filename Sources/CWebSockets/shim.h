#ifndef PORTFOLIO_CWEBSOCKETS_SHIM_H
#define PORTFOLIO_CWEBSOCKETS_SHIM_H
#include <libwebsockets.h>

/* Expression macros do not import into Swift: expose them as constants. */
static const unsigned int portfolio_lws_pre = LWS_PRE;
static const uint64_t portfolio_lws_option_fail_unable_to_bind =
    LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
static const uint64_t portfolio_lws_option_validate_utf8 = LWS_SERVER_OPTION_VALIDATE_UTF8;
static const uint64_t portfolio_lws_option_disable_ipv6 = LWS_SERVER_OPTION_DISABLE_IPV6;
static const uint64_t portfolio_lws_option_ssl_global_init = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
static const int portfolio_lws_log_errors = LLL_ERR | LLL_WARN;
/* Requests lws cannot parse as HTTP (unknown methods, CONNECT) become raw connections, so the
 * server can answer them instead of lws' bare 403 or silence. */
static const uint64_t portfolio_lws_option_fallback_to_raw =
    LWS_SERVER_OPTION_FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG;

/* The tokens that hold a request target (path or query) rather than a header field. */
static inline int portfolio_lws_token_is_target(int token) {
  switch (token) {
  case WSI_TOKEN_GET_URI: case WSI_TOKEN_POST_URI: case WSI_TOKEN_OPTIONS_URI:
  case WSI_TOKEN_PUT_URI: case WSI_TOKEN_PATCH_URI: case WSI_TOKEN_DELETE_URI:
  case WSI_TOKEN_HEAD_URI: case WSI_TOKEN_CONNECT: case WSI_TOKEN_HTTP_URI_ARGS:
  case WSI_TOKEN_HTTP_COLON_PATH:
    return 1;
  default:
    return 0;
  }
}

/* Caps each header and target token: lws cuts a longer one at the cap and parses on, where
 * running out of header space would drop the connection without an answer. */
static inline void portfolio_lws_token_limits_fill(struct lws_token_limits *limits,
                                                   unsigned short header, unsigned short target) {
  for (int token = 0; token < WSI_TOKEN_COUNT; token++)
    limits->token_limit[token] = portfolio_lws_token_is_target(token) ? target : header;
}

/* The mount's bit fields are set from C so Swift needs no layout knowledge of them. */
static inline void portfolio_lws_mount_set_cache(struct lws_http_mount *m, int max_age) {
  m->cache_max_age = max_age;
  m->cache_reusable = max_age > 0;
  m->cache_revalidate = 1;
  m->cache_intermediaries = 0;
}
#endif
