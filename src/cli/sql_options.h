#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/settings.h"

namespace sluice {

// The options `sluice sql` and `sluice shell` share: the SQL to run (sql only), the
// warehouse, the settings and how results look.
struct SqlOptions {
  std::optional<std::string> sql;  // from -c, or the text of -f; absent: standard input
  std::string db_dir;              // empty: an in-memory warehouse
  std::string format = "table";    // table, csv or json (--format)
  bool progress = true;            // --no-progress clears it
  bool timer = false;              // --timer
  std::string resume_dir;          // --resume DIR (sql only); empty: no stage outputs kept
  Settings settings;               // --memory-limit 4GB, --set name=value, ...
};

// Parses the options of `command` ("sql" or "shell"); -c and -f only when `accept_sql`.
// Throws InvalidInputError for an unknown option or a bad value.
SqlOptions ParseSqlOptions(const std::vector<std::string>& args, const std::string& command,
                           bool accept_sql);

// The settings of a session over warehouse `db_dir`: its spills go beside it (DIR.tmp)
// unless --temp-directory says otherwise.
Settings WarehouseSettings(Settings settings, const std::string& db_dir);

// The text of SQL file `path`. Throws IOError when it cannot be read.
std::string ReadSqlFile(const std::string& path);

}  // namespace sluice
