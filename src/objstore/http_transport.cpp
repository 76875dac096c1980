#include "objstore/http_transport.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "common/error.h"
#include "common/strings.h"

namespace sluice {

namespace {

// Easy handles kept between requests: a handle keeps its connection open, so the next
// request to the same endpoint skips the TCP (and TLS) handshake.
class CurlHandlePool {
 public:
  static CurlHandlePool& Global() {
    static CurlHandlePool pool;
    return pool;
  }

  CURL* Acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        CURL* handle = free_.back();
        free_.pop_back();
        curl_easy_reset(handle);
        return handle;
      }
    }
    CURL* handle = curl_easy_init();
    if (handle == nullptr) throw IOError("Cannot start an HTTP client (curl_easy_init failed)");
    return handle;
  }

  void Release(CURL* handle) {
    std::lock_guard lock(mutex_);
    if (free_.size() < kMaxPooled) {
      free_.push_back(handle);
    } else {
      curl_easy_cleanup(handle);
    }
  }

 private:
  CurlHandlePool() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  // Handles live as long as the process: cleaning them up at exit races with threads
  // that may still be finishing a request.

  static constexpr size_t kMaxPooled = 64;
  std::mutex mutex_;
  std::vector<CURL*> free_;
};

// Returns a handle to the pool on every path out of PerformHttp.
struct PooledHandle {
  CURL* handle = CurlHandlePool::Global().Acquire();
  ~PooledHandle() { CurlHandlePool::Global().Release(handle); }
};

struct Transfer {
  CURL* handle;
  const HttpRequest* request;
  HttpResponse* response;
  size_t body_offset = 0;  // of the upload
  bool overflow = false;   // a 2xx body larger than HttpRequest::into_size
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
  const HttpRequest& request = *transfer->request;
  HttpResponse& response = *transfer->response;
  if (request.into != nullptr && status >= 200 && status < 300) {
    if (response.into_bytes + n > request.into_size) {
      transfer->overflow = true;
      return 0;  // stops the transfer
    }
    std::memcpy(request.into + response.into_bytes, data, n);
    response.into_bytes += n;
  } else {
    response.body.append(data, n);
  }
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  const size_t n = size * count;
  const std::string_view line(data, n);
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string value(line.substr(colon + 1));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.pop_back();
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    response->headers.emplace_back(ToLower(line.substr(0, colon)), std::move(value));
  } else if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new response (after 100 Continue or a redirect)
  }
  return n;
}

size_t OnUpload(char* out, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::string_view body = transfer->request->body;
  const size_t n = std::min(size * count, body.size() - transfer->body_offset);
  std::memcpy(out, body.data() + transfer->body_offset, n);
  transfer->body_offset += n;
  return n;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

HttpResponse PerformHttp(const HttpRequest& request, const std::string& what) {
  PooledHandle pooled;
  CURL* curl = pooled.handle;
  HttpResponse response;
  Transfer transfer{curl, &request, &response};

  curl_slist* headers = nullptr;
  for (const std::string& header : request.headers)
    headers = curl_slist_append(headers, header.c_str());
  // No "Expect: 100-continue" round trip before a body.
  headers = curl_slist_append(headers, "Expect:");

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  // A transfer slower than 1 byte/s for a minute is taken for a dead connection.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT" || request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, OnUpload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (request.method == "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "POST");
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (transfer.overflow) {
    throw IOError(fmt::format("{}: the response is larger than the {} bytes asked for", what,
                              request.into_size));
  }
  if (code != CURLE_OK) {
    throw IOError(fmt::format("{}: {}", what, error[0] != 0 ? error : curl_easy_strerror(code)));
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace sluice
