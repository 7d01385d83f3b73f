#ifndef PORTFOLIO_CCURL_SHIM_H
#define PORTFOLIO_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which Swift cannot
   call: one typed wrapper per argument type. */
static inline CURLcode portfolio_curl_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode portfolio_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode portfolio_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode portfolio_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}
typedef size_t (*portfolio_curl_data_callback)(char *data, size_t size, size_t count, void *user);
static inline CURLcode portfolio_curl_setopt_callback(CURL *handle, CURLoption option,
                                                      portfolio_curl_data_callback callback) {
  return curl_easy_setopt(handle, option, callback);
}
typedef int (*portfolio_curl_seek_callback)(void *user, curl_off_t offset, int origin);
static inline CURLcode portfolio_curl_setopt_seek_callback(CURL *handle, CURLoption option,
                                                           portfolio_curl_seek_callback callback) {
  return curl_easy_setopt(handle, option, callback);
}
static inline CURLcode portfolio_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode portfolio_curl_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
  return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode portfolio_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
  return curl_easy_getinfo(handle, info, value);
}
static inline CURLMcode portfolio_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
  return curl_multi_setopt(multi, option, value);
}

/* Expression macros. */
static const long portfolio_curl_global_all = CURL_GLOBAL_ALL;
static const long portfolio_curl_http_version_2tls = CURL_HTTP_VERSION_2TLS;
static const long portfolio_curl_pipe_multiplex = CURLPIPE_MULTIPLEX;
static const int portfolio_curl_error_size = CURL_ERROR_SIZE;
static const int portfolio_curl_seekfunc_ok = CURL_SEEKFUNC_OK;
static const int portfolio_curl_seekfunc_cantseek = CURL_SEEKFUNC_CANTSEEK;
static const size_t portfolio_curl_readfunc_abort = CURL_READFUNC_ABORT;

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* Whether an IPv4 address (host byte order) is one a request to "somewhere on the internet"
   must never reach: this host, private and shared networks, link-local (cloud metadata at
   169.254.169.254), benchmarking, documentation, multicast and reserved space. */
static inline int portfolio_ipv4_is_private(uint32_t a) {
  return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 || (a & 0xFFC00000u) == 0x64400000u ||
         (a & 0xFFFF0000u) == 0xA9FE0000u || (a & 0xFFF00000u) == 0xAC100000u ||
         (a & 0xFFFFFF00u) == 0xC0000000u || (a & 0xFFFFFF00u) == 0xC0000200u ||
         (a & 0xFFFF0000u) == 0xC0A80000u || (a & 0xFFFE0000u) == 0xC6120000u ||
         (a & 0xFFFFFF00u) == 0xC6336400u || (a & 0xFFFFFF00u) == 0xCB007100u || (a >> 28) >= 0xE;
}

/* The same for IPv6: unspecified, loopback, unique local (fc00::/7), link-local, multicast,
   documentation, and IPv4 written as IPv6 (mapped, compatible, NAT64) judged as IPv4. */
static inline int portfolio_ipv6_is_private(const unsigned char *b) {
  static const unsigned char zero[10] = {0};
  if (memcmp(b, zero, 10) == 0 && ((b[10] == 0xFF && b[11] == 0xFF) || (b[10] == 0 && b[11] == 0))) {
    uint32_t v4 = ((uint32_t)b[12] << 24) | ((uint32_t)b[13] << 16) | ((uint32_t)b[14] << 8) | b[15];
    return portfolio_ipv4_is_private(v4);
  }
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) {
    uint32_t v4 = ((uint32_t)b[12] << 24) | ((uint32_t)b[13] << 16) | ((uint32_t)b[14] << 8) | b[15];
    return portfolio_ipv4_is_private(v4);
  }
  return (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) || b[0] == 0xFF ||
         (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8);
}

static inline int portfolio_sockaddr_is_private(const struct sockaddr *address) {
  if (address->sa_family == AF_INET) {
    return portfolio_ipv4_is_private(ntohl(((const struct sockaddr_in *)address)->sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    return portfolio_ipv6_is_private(((const struct sockaddr_in6 *)address)->sin6_addr.s6_addr);
  }
  return 1;
}

/* CURLOPT_OPENSOCKETFUNCTION for requests that may only reach public addresses: checked on the
   address libcurl is about to connect to, after every name lookup, so a name that resolves
   elsewhere later is caught too. `flag` (CURLOPT_OPENSOCKETDATA) is set when it refuses. */
static inline curl_socket_t portfolio_curl_open_public_socket(void *flag, curlsocktype purpose,
                                                              struct curl_sockaddr *address) {
  (void)purpose;
  if (portfolio_sockaddr_is_private(&address->addr)) {
    if (flag) *(int *)flag = 1;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

static inline CURLcode portfolio_curl_only_public_addresses(CURL *handle, int *refused) {
  CURLcode code = curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, portfolio_curl_open_public_socket);
  if (code != CURLE_OK) return code;
  return curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, (void *)refused);
}

#endif
