#pragma once

#include <string>
#include <vector>

#include "vector/column_hash.h"
#include "vector/schema.h"

namespace sluice {

// How an operator's output rows are spread over its partitions (DESIGN.md).
struct Partitioning {
  enum class Kind {
    kUnknown,     // rows are in some partition, nothing more is known
    kSingle,      // one partition holds everything
    kHash,        // row in partition hash(keys) % num_partitions
    kRoundRobin,  // evenly dealt out
    kBroadcast,   // every partition sees every row
  };
  Kind kind = Kind::kUnknown;
  std::vector<int> keys;  // kHash: column indices of the operator's output
  int num_partitions = 1;
  // kHash: the function placing rows (kIcebergBucket: exactly one key).
  PartitionHash hash = PartitionHash::kSluice;

  static Partitioning Unknown(int n) { return {Kind::kUnknown, {}, n}; }
  static Partitioning Single() { return {Kind::kSingle, {}, 1}; }
  static Partitioning Hash(std::vector<int> keys, int n,
                           PartitionHash hash = PartitionHash::kSluice) {
    return {Kind::kHash, std::move(keys), n, hash};
  }
  static Partitioning RoundRobin(int n) { return {Kind::kRoundRobin, {}, n}; }
  static Partitioning Broadcast(int n) { return {Kind::kBroadcast, {}, n}; }

  // Whether rows equal on `keys` are placed alike here and in `other`: both hash-partitioned
  // on those keys into as many partitions by the same function.
  bool SameHash(const Partitioning& other) const {
    return kind == Kind::kHash && other.kind == Kind::kHash && keys == other.keys &&
           num_partitions == other.num_partitions && hash == other.hash;
  }
  // "hash(#0, #2; 16)", "iceberg_bucket(#0; 8)", "single", ...
  std::string ToString() const;
  // The same with the hash keys named by the columns of `schema` ("hash(o.id; 16)").
  std::string ToString(const Schema& schema) const;
};

}  // namespace sluice
