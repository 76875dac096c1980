#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"

namespace sluice {

// A command line that cannot be understood: an unknown command or option, an option without
// its value, a value of the wrong form. RunCli prints it and exits with code 2 (any other
// error: 1).
class UsageError : public UserError {
 public:
  explicit UsageError(std::string message) : UserError("Usage", std::move(message)) {}
};

// The `sluice` command line: dispatches to subcommands and turns errors into one message on
// stderr. Returns the process exit code: 0 on success, 1 on an error, 2 on a usage error.
int RunCli(int argc, char** argv);

int SqlCommand(const std::vector<std::string>& args);
// The interactive SQL shell: `sluice shell` (src/cli/sql_command.cpp, shell.h).
int ShellCommand(const std::vector<std::string>& args);
int DemoCommand(const std::vector<std::string>& args);
// Generates benchmark data sets: `sluice gen tpch` (src/cli/gen_command.cpp).
int GenCommand(const std::vector<std::string>& args);
// Iceberg table maintenance of a warehouse: `sluice maintain` (maintain_command.cpp).
int MaintainCommand(const std::vector<std::string>& args);
// Batch scoring into Redis: `sluice ml score` (ml_command.cpp).
int MlCommand(const std::vector<std::string>& args);
// The online model server: `sluice serve` (serve_command.cpp).
int ServeCommand(const std::vector<std::string>& args);
// The feature store: `sluice features` (features_command.cpp).
int FeaturesCommand(const std::vector<std::string>& args);
// Streaming jobs: `sluice stream run|list|status|stop` (stream_command.cpp).
int StreamCommand(const std::vector<std::string>& args);
// Runs sqllogictest files (src/cli/sqllogictest_command.cpp).
int SqllogictestCommand(const std::vector<std::string>& args);
// Runs a dbt project: `command` is run, test, build, seed, compile or ls (dbt_command.cpp).
int DbtProjectCommand(const std::string& command, const std::vector<std::string>& args);

// True when `args` asks for help (-h, --help).
bool WantsHelp(const std::vector<std::string>& args);

// The value that follows the option args[i], advancing i to it; UsageError ("option X needs
// a value") when there is none.
std::string NeedValue(const std::vector<std::string>& args, size_t& i);
// `value`, given to option `flag`, as an integer >= 1; UsageError ("X needs a positive
// integer, got 'v'") otherwise.
int64_t ParsePositiveInt(const std::string& flag, const std::string& value);

}  // namespace sluice
