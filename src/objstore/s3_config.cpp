#include "objstore/s3_config.h"

#include <mutex>

#include "common/settings.h"

namespace sluice {

namespace {

std::mutex g_mutex;

S3Config& Current() {
  static S3Config config = S3ConfigOf(Settings());
  return config;
}

}  // namespace

std::string S3Config::BaseUrl() const {
  if (endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
    std::string url = endpoint;
    while (url.ends_with('/')) url.pop_back();
    return url;
  }
  return (use_ssl ? "https://" : "http://") + endpoint;
}

S3Config S3ConfigOf(const Settings& settings) {
  S3Config config;
  config.endpoint = settings.s3_endpoint();
  config.region = settings.s3_region();
  config.path_style = settings.s3_url_style() == "path";
  config.access_key_id = settings.s3_access_key_id();
  config.secret_access_key = settings.s3_secret_access_key();
  config.session_token = settings.s3_session_token();
  config.use_ssl = settings.s3_use_ssl();
  return config;
}

S3Config CurrentS3Config() {
  std::lock_guard lock(g_mutex);
  return Current();
}

void SetCurrentS3Config(S3Config config) {
  std::lock_guard lock(g_mutex);
  Current() = std::move(config);
}

}  // namespace sluice
