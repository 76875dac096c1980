#pragma once

#include <string>
#include <vector>

namespace sluice {

class Shell;

// The shell's dot commands (.help, .tables, .schema, .mode, .timer, .read, .open, .output,
// .maxrows, .quit): each line that starts with a dot at the beginning of a statement is one.
// They act on the shell that owns them, from its thread.
class DotCommands {
 public:
  explicit DotCommands(Shell& shell) : shell_(shell) {}

  // Runs dot command `line` (".mode csv"). Returns false when it asks the shell to end
  // (.quit, .exit). Throws InvalidInputError for an unknown command or bad arguments, and
  // what a command's own work throws (IOError, errors of a .read script).
  bool Run(const std::string& line);

  // Every command's name, with its leading dot, in the order .help lists them.
  static std::vector<std::string> Names();

 private:
  void Help();
  void Tables(const std::vector<std::string>& args);
  void Schema(const std::vector<std::string>& args);
  void Mode(const std::vector<std::string>& args);
  void Timer(const std::vector<std::string>& args);

  Shell& shell_;
};

}  // namespace sluice
