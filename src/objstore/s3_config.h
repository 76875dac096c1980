#pragma once

#include <cstdint>
#include <string>

namespace sluice {

class Settings;

// How to reach and sign for the object store: the s3_* settings.
struct S3Config {
  // host[:port]; a leading http:// or https:// overrides use_ssl.
  std::string endpoint = "s3.amazonaws.com";
  std::string region = "us-east-1";
  bool path_style = false;    // s3_url_style 'path': endpoint/bucket/key; else bucket.endpoint/key
  std::string access_key_id;  // empty: requests go unsigned (public buckets)
  std::string secret_access_key;
  std::string session_token;
  bool use_ssl = true;
  // Objects larger than this are uploaded in parts of this size (S3 wants at least 5 MiB
  // per part but the last).
  int64_t part_size = int64_t{8} << 20;

  // "http://host:port" or "https://host": where requests go, without the bucket.
  std::string BaseUrl() const;
};

// The configuration the s3_* settings of `settings` describe.
S3Config S3ConfigOf(const Settings& settings);

// The configuration s3:// paths are opened with. Process-wide, like the time zone: a session
// installs its settings' configuration when it starts and whenever an s3_* setting changes
// (files are opened far below the session, without it). Thread-safe.
S3Config CurrentS3Config();
void SetCurrentS3Config(S3Config config);

}  // namespace sluice
