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
#endif
