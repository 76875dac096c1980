#pragma once

#include <string>
#include <string_view>

#include "tpch/tpch_random.h"

namespace sluice::tpch {

// The pseudo text that TPC-H comment columns are cut from (spec 4.2.2.10): sentences made by
// the spec's grammar (noun phrase, verb phrase, prepositional phrase, terminator) over its
// weighted word lists, so that LIKE predicates on comments ('%special%requests%') select
// the fraction of rows the spec's queries expect. Built once per process from a fixed seed.
// Thread-safe (immutable after construction).
class TextPool {
 public:
  // The process-wide pool (about 8 MB), built on first use.
  static const TextPool& Get();

  // A comment of uniformly random length in [min_length, max_length] starting at a random
  // offset of the pool. The view points into the pool and stays valid for the process.
  std::string_view Comment(RowRandom& rng, int min_length, int max_length) const;

  const std::string& text() const { return text_; }

 private:
  explicit TextPool(size_t size);
  std::string text_;
};

}  // namespace sluice::tpch
