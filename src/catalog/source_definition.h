#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <string>
#include <vector>

#include "io/data_source.h"
#include "vector/schema.h"

namespace sluice {

// A table declared over an external stream (Flink's connector DDL: CREATE TABLE ... WITH
// ('connector' = 'kafka', ...)): its columns, its watermark and its connector options. The
// warehouse stores it as JSON beside the views; a batch query reads the records there now,
// a streaming job (src/stream) reads them as they arrive.
struct SourceDefinition {
  std::string name;  // as declared ("bids", "s.bids")
  Schema schema;
  // WATERMARK FOR <column> AS <column> - INTERVAL ...: the event-time column (empty: none)
  // and how far the watermark stays behind the largest time seen, in microseconds.
  std::string watermark_column;
  int64_t watermark_delay_us = 0;
  std::map<std::string, std::string> options;  // WITH (...) keys lower-cased

  const std::string& connector() const;
  // The option's value, or `fallback`.
  std::string Option(const std::string& key, const std::string& fallback = "") const;
  std::string ToJson() const;
  // Throws InvalidInputError naming `where` for a malformed document.
  static SourceDefinition FromJson(const std::string& text, const std::string& where);
};

// A connector: which options it takes, and how a batch query reads what the stream holds now
// (bounded; streaming jobs use the stream module's own readers).
struct Connector {
  std::string name;  // 'connector' = name
  std::vector<std::string> required;  // option keys that must be given
  std::vector<std::string> optional;  // other keys it knows ('properties.*' when listed)
  // The records present now, as rows of def.schema. Throws UserError (IOError, ...).
  std::function<std::shared_ptr<const DataSource>(const SourceDefinition& def)> open_bounded;
};

// Connectors by name. The stream module registers its own at startup (RegisterConnectors),
// so the layers below (the session's CREATE TABLE, batch queries) reach them through here.
// Thread-safe.
class ConnectorRegistry {
 public:
  void Register(Connector connector);
  // Null when unknown.
  const Connector* Find(const std::string& name) const;
  std::vector<std::string> Names() const;
  // The first problem with `options` for connector `name` as "key: message" text, or "" when
  // they are fine: an unknown connector, a missing required key, an unknown key.
  // `bad_key` receives the key at fault (empty for the connector itself or a missing key).
  std::string Check(const std::map<std::string, std::string>& options, std::string* bad_key) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Connector>> connectors_;
};

ConnectorRegistry& Connectors();

}  // namespace sluice
