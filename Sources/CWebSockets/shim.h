#ifndef PORTFOLIO_CWEBSOCKETS_SHIM_H
#define PORTFOLIO_CWEBSOCKETS_SHIM_H
#include <libwebsockets.h>

/* Expression macros do not import into Swift: expose them as constants. */
static const unsigned int portfolio_lws_pre = LWS_PRE;
static const uint64_t portfolio_lws_option_fail_unable_to_bind =
    LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
static const uint64_t portfolio_lws_option_validate_utf8 = LWS_SERVER_OPTION_VALIDATE_UTF8;
static const uint64_t portfolio_lws_option_disable_ipv6 = LWS_SERVER_OPTION_DISABLE_IPV6;
static const int portfolio_lws_log_errors = LLL_ERR | LLL_WARN;

/* The mount's bit fields are set from C so Swift needs no layout knowledge of them. */
static inline void portfolio_lws_mount_set_cache(struct lws_http_mount *m, int max_age) {
  m->cache_max_age = max_age;
  m->cache_reusable = max_age > 0;
  m->cache_revalidate = 1;
  m->cache_intermediaries = 0;
}
#endif
