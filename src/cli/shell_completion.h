#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice {

class Session;

// What TAB can put in place of the word before the cursor.
struct CompletionCandidates {
  size_t word_start = 0;           // byte offset in the line where the word begins
  std::vector<std::string> words;  // sorted and unique; each replaces the whole word
  // Added after the word when there is only one candidate (and it is not a folder ending in
  // '/'): a space after a keyword or name, the closing quote after a file name in quotes.
  std::string append_when_unique = " ";
};

// Completes what is typed at the shell prompt: dot commands and their arguments, SQL
// keywords and function names, and the tables and columns of the session's catalog; file
// paths inside single quotes and after .read, .open and .output. Keywords follow the case of
// what was typed (sel -> select, SEL -> SELECT). Stateless; reads the catalog on each call.
class ShellCompletion {
 public:
  // Candidates for the word that ends at the end of `line` (the text before the cursor).
  static CompletionCandidates Complete(Session& session, std::string_view line);

 private:
  static CompletionCandidates CompleteDotCommand(Session& session, std::string_view line);
  static CompletionCandidates CompleteSql(Session& session, std::string_view line);
  // Files and folders whose path starts with `prefix` (relative to the working directory).
  static std::vector<std::string> CompletePath(const std::string& prefix);
};

}  // namespace sluice
