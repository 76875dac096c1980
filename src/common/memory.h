#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace sluice {

// The process-wide budget of tracked memory (`memory_limit`). Hash tables, sort buffers and
// exchange buffers reserve from it before they grow; a refused reservation is the signal to
// spill (or, for operators that cannot spill yet, to fail with OutOfMemoryError).
// Thread-safe.
class MemoryManager {
 public:
  explicit MemoryManager(int64_t limit_bytes) : limit_(limit_bytes) {}

  // Tries to take `bytes` from the budget. Returns false, taking nothing, when it would
  // exceed the limit.
  bool TryReserve(int64_t bytes);
  // Like TryReserve, but throws OutOfMemoryError naming `what` when refused.
  void Reserve(int64_t bytes, const char* what);
  void Release(int64_t bytes);

  int64_t limit() const { return limit_.load(std::memory_order_relaxed); }
  void set_limit(int64_t bytes) { limit_.store(bytes, std::memory_order_relaxed); }
  int64_t used() const { return used_.load(std::memory_order_relaxed); }
  int64_t peak() const { return peak_.load(std::memory_order_relaxed); }

  // 80% of physical RAM: the default `memory_limit`.
  static int64_t DefaultLimit();

 private:
  std::atomic<int64_t> limit_;
  std::atomic<int64_t> used_{0};
  std::atomic<int64_t> peak_{0};
};

// Memory held by one consumer (a hash table, an exchange buffer). Grows and shrinks against
// the manager and gives everything back when destroyed. Not thread-safe: one owner.
class MemoryReservation {
 public:
  MemoryReservation() = default;
  MemoryReservation(MemoryManager* manager, std::string what)
      : manager_(manager), what_(std::move(what)) {}
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;
  MemoryReservation(MemoryReservation&& other) noexcept { *this = std::move(other); }
  MemoryReservation& operator=(MemoryReservation&& other) noexcept;
  ~MemoryReservation() { Resize(0); }

  // Sets the reserved amount to `bytes`; throws OutOfMemoryError when growth is refused.
  void Resize(int64_t bytes);
  // Like Resize, but returns false (and keeps the old size) when growth is refused.
  bool TryResize(int64_t bytes);
  void Grow(int64_t delta) { Resize(bytes_ + delta); }
  int64_t bytes() const { return bytes_; }

 private:
  MemoryManager* manager_ = nullptr;
  std::string what_;
  int64_t bytes_ = 0;
};

// Parses sizes such as "500MB", "2GiB", "1.5 GB", "1024" (bytes). Throws InvalidInputError.
int64_t ParseMemorySize(const std::string& text);
std::string FormatBytes(int64_t bytes);

}  // namespace sluice
