// ExpandPaths: files, directories and globs (`*`, `?`, `**`) to a sorted list of files;
// `s3://bucket/...` patterns are matched against the bucket's keys (ListObjectsV2).

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"
#include "io/data_source.h"
#include "objstore/s3_client.h"

namespace sluice {

namespace fs = std::filesystem;

namespace {

bool HasGlob(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

// Matches one path segment against a pattern segment of `*` (any run, possibly empty) and
// `?` (one character). Iterative with one backtrack point: the classic linear wildcard match.
bool MatchSegment(std::string_view pattern, std::string_view name) {
  size_t p = 0, n = 0;
  size_t star = std::string_view::npos, star_n = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      p++;
      n++;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_n = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++star_n;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') p++;
  return p == pattern.size();
}

// Matches path segments against pattern segments, where a `**` segment matches zero or more
// whole segments.
bool MatchSegments(const std::vector<std::string>& pattern, size_t pi,
                   const std::vector<std::string>& path, size_t si) {
  if (pi == pattern.size()) return si == path.size();
  if (pattern[pi] == "**") {
    for (size_t skip = si; skip <= path.size(); skip++) {
      if (MatchSegments(pattern, pi + 1, path, skip)) return true;
    }
    return false;
  }
  if (si == path.size()) return false;
  return MatchSegment(pattern[pi], path[si]) && MatchSegments(pattern, pi + 1, path, si + 1);
}

std::vector<std::string> NonEmptySegments(std::string_view s) {
  std::vector<std::string> out;
  for (auto& part : Split(s, '/')) {
    if (!part.empty()) out.push_back(std::move(part));
  }
  return out;
}

void ListFilesRecursively(const fs::path& dir, std::vector<std::string>* out) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied,
                                           ec),
       end;
       !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) out->push_back(it->path().string());
  }
  if (ec) throw IOError(fmt::format("Cannot list directory '{}': {}", dir.string(), ec.message()));
}

std::vector<std::string> ExpandGlob(const std::string& pattern) {
  // The directory prefix without wildcards is where the walk starts.
  const size_t first_glob = pattern.find_first_of("*?");
  const size_t slash = pattern.rfind('/', first_glob);
  std::string base = slash == std::string::npos ? "" : pattern.substr(0, slash);
  if (slash == 0) base = "/";
  const std::string rest = slash == std::string::npos ? pattern : pattern.substr(slash + 1);
  const std::vector<std::string> pattern_segments = NonEmptySegments(rest);
  const bool recursive = std::find(pattern_segments.begin(), pattern_segments.end(), "**") !=
                         pattern_segments.end();

  std::vector<std::string> out;
  const fs::path root = base.empty() ? fs::path(".") : fs::path(base);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return out;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
    const std::string relative = it->path().lexically_relative(root).generic_string();
    const std::vector<std::string> segments = NonEmptySegments(relative);
    // Without `**` nothing deeper than the pattern can match: do not descend further.
    if (!recursive && segments.size() >= pattern_segments.size()) it.disable_recursion_pending();
    if (!it->is_regular_file(ec)) continue;
    if (!MatchSegments(pattern_segments, 0, segments, 0)) continue;
    if (base.empty()) {
      out.push_back(relative);
    } else if (base == "/") {
      out.push_back("/" + relative);
    } else {
      out.push_back(base + "/" + relative);
    }
  }
  return out;
}

// An object store pattern: an object, a "directory" (every key below `key/`), or a glob
// over keys, where `/` separates segments as in paths. Only the keys that share the
// pattern's literal prefix are listed.
std::vector<std::string> ExpandS3(const std::string& pattern) {
  const S3Location location = ParseS3Url(pattern);
  const S3Client client(CurrentS3Config());
  std::vector<std::string> out;
  auto add = [&](const std::string& key) {
    if (!key.empty() && !key.ends_with('/')) out.push_back(S3Location{location.bucket, key}.Url());
  };
  if (HasGlob(location.key)) {
    const std::string prefix = location.key.substr(0, location.key.find_first_of("*?"));
    const std::vector<std::string> pattern_segments = NonEmptySegments(location.key);
    for (const S3Object& object : client.List(location.bucket, prefix)) {
      if (MatchSegments(pattern_segments, 0, NonEmptySegments(object.key), 0)) add(object.key);
    }
    return out;
  }
  if (!location.key.empty() && !location.key.ends_with('/') && client.Head(location)) {
    return {pattern};
  }
  std::string prefix = location.key;
  if (!prefix.empty() && !prefix.ends_with('/')) prefix += '/';
  for (const S3Object& object : client.List(location.bucket, prefix)) add(object.key);
  return out;
}

}  // namespace

std::vector<std::string> ExpandPaths(const std::string& pattern) {
  std::vector<std::string> out;
  std::error_code ec;
  if (IsS3Path(pattern)) {
    out = ExpandS3(pattern);
  } else if (HasGlob(pattern)) {
    out = ExpandGlob(pattern);
  } else if (fs::is_directory(pattern, ec)) {
    ListFilesRecursively(pattern, &out);
  } else if (fs::exists(pattern, ec)) {
    out.push_back(pattern);
  }
  if (out.empty()) {
    throw IOError(fmt::format("No files found that match the pattern '{}'", pattern));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sluice
