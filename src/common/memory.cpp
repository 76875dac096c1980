#include "common/memory.h"

#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cmath>

#include "common/error.h"

// jemalloc's control interface, when the program is linked with jemalloc (the CLI is);
// null otherwise.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp,
                       size_t newlen) __attribute__((weak));

namespace sluice {

namespace {

// Hands the pages the allocator keeps cached after free() back to the OS, at most five
// times a second. The CLI keeps freed pages for a minute (they are expensive to fault in
// again), which under a memory_limit would leave the resident size well above the limit
// once operators spill and free their buffers.
void ReturnCachedPages() {
  if (mallctl == nullptr) return;
  static std::atomic<int64_t> last_ms{0};
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  int64_t last = last_ms.load(std::memory_order_relaxed);
  if (now - last < 200 || !last_ms.compare_exchange_strong(last, now)) return;
  mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);  // 4096: every arena
}

}  // namespace

bool MemoryManager::TryReserve(int64_t bytes) {
  int64_t current = used_.load(std::memory_order_relaxed);
  const int64_t limit = limit_.load(std::memory_order_relaxed);
  do {
    if (bytes > 0 && current + bytes > limit) {
      ReturnCachedPages();  // refused: operators are about to spill and free buffers
      return false;
    }
  } while (!used_.compare_exchange_weak(current, current + bytes, std::memory_order_relaxed));
  int64_t now = current + bytes;
  int64_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  return true;
}

void MemoryManager::Reserve(int64_t bytes, const char* what) {
  if (!TryReserve(bytes)) {
    throw OutOfMemoryError(fmt::format(
        "{} needs {} more, but {} of the memory_limit {} is in use; raise it with "
        "SET memory_limit='...' or --memory-limit",
        what, FormatBytes(bytes), FormatBytes(used()), FormatBytes(limit())));
  }
}

void MemoryManager::Release(int64_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

int64_t MemoryManager::DefaultLimit() {
  const int64_t pages = sysconf(_SC_PHYS_PAGES);
  const int64_t page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return int64_t{8} << 30;
  return pages * page_size / 10 * 8;
}

MemoryReservation& MemoryReservation::operator=(MemoryReservation&& other) noexcept {
  if (this != &other) {
    Resize(0);
    manager_ = other.manager_;
    what_ = std::move(other.what_);
    bytes_ = other.bytes_;
    other.bytes_ = 0;
  }
  return *this;
}

void MemoryReservation::Resize(int64_t bytes) {
  if (manager_ == nullptr) {
    bytes_ = bytes;
    return;
  }
  const int64_t delta = bytes - bytes_;
  if (delta > 0) {
    manager_->Reserve(delta, what_.c_str());
  } else if (delta < 0) {
    manager_->Release(-delta);
  }
  bytes_ = bytes;
}

bool MemoryReservation::TryResize(int64_t bytes) {
  if (manager_ == nullptr) {
    bytes_ = bytes;
    return true;
  }
  const int64_t delta = bytes - bytes_;
  if (delta > 0 && !manager_->TryReserve(delta)) return false;
  if (delta < 0) manager_->Release(-delta);
  bytes_ = bytes;
  return true;
}

int64_t ParseMemorySize(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) i++;
  size_t start = i;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) i++;
  if (start == i) throw InvalidInputError(fmt::format("invalid memory size '{}'", text));
  const double number = std::stod(text.substr(start, i - start));
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) i++;
  std::string unit;
  for (; i < text.size(); i++) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.back()))) unit.pop_back();
  double multiplier = 0;
  if (unit.empty() || unit == "b" || unit == "bytes") multiplier = 1;
  else if (unit == "kb" || unit == "k") multiplier = 1e3;
  else if (unit == "mb" || unit == "m") multiplier = 1e6;
  else if (unit == "gb" || unit == "g") multiplier = 1e9;
  else if (unit == "tb" || unit == "t") multiplier = 1e12;
  else if (unit == "kib") multiplier = 1024.0;
  else if (unit == "mib") multiplier = 1024.0 * 1024;
  else if (unit == "gib") multiplier = 1024.0 * 1024 * 1024;
  else if (unit == "tib") multiplier = 1024.0 * 1024 * 1024 * 1024;
  else
    throw InvalidInputError(fmt::format(
        "invalid memory size '{}': unknown unit '{}' (use B, KB, MB, GB, TB, KiB, MiB, GiB)", text,
        unit));
  return static_cast<int64_t>(std::llround(number * multiplier));
}

std::string FormatBytes(int64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (std::fabs(value) >= 1024 && unit < 4) {
    value /= 1024;
    unit++;
  }
  if (unit == 0) return fmt::format("{} bytes", bytes);
  return fmt::format("{:.1f} {}", value, units[unit]);
}

}  // namespace sluice
