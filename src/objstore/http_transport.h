#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice {

// One HTTP request of the object store client.
struct HttpRequest {
  std::string method;  // GET, HEAD, PUT, POST, DELETE
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string_view body;             // sent with PUT and POST
  // When set, the body of a successful (2xx) response is written here (at most `into_size`
  // bytes, the rest is an error); other responses' bodies go to HttpResponse::body.
  char* into = nullptr;
  size_t into_size = 0;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  size_t into_bytes = 0;                                     // bytes written to HttpRequest::into
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased

  // The value of header `name` (lower-case), or empty.
  std::string Header(std::string_view name) const;
};

// Performs `request` over libcurl, reusing connections across calls. Throws IOError
// starting with `what` when no response arrives (cannot connect, timeout, reset).
// Thread-safe.
HttpResponse PerformHttp(const HttpRequest& request, const std::string& what);

}  // namespace sluice
