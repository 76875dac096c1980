# The interactive shell driven through a real terminal (tmux): prompts, multi-line input,
# every result printed, errors, dot commands, history, TAB completion, Ctrl-C (drops the
# line typed; stops a running query) and Ctrl-D. Each step waits for its output (polling,
# with a timeout), never for a fixed time.
source "$(dirname "$0")/cli_test_lib.sh"

command -v tmux >/dev/null || { echo "FAIL: tmux is not installed (scripts/install-deps.sh)" >&2; exit 1; }
SOCKET="$WORK_DIR/tmux.socket"
trap 'tmux -S "$SOCKET" kill-server 2>/dev/null; rm -rf "$WORK_DIR"' EXIT
export HOME="$WORK_DIR/home"
mkdir -p "$HOME"
cd "$WORK_DIR" || exit 1

tm() { tmux -S "$SOCKET" "$@"; }

# start NAME ARGS...: runs sluice ARGS in a new terminal NAME. Its exit code goes to the file
# NAME.exit: tmux's own record of it (pane_dead_status) is not always there.
start() {
  local name="$1"
  shift
  tm -f /dev/null new-session -d -s "$name" -x 160 -y 60 -c "$WORK_DIR" \
    "env HOME='$HOME' TERM=screen bash -c '\"\$0\" \"\$@\"; echo \$? >$name.exit' '$SLUICE' $*" \; \
    set-option -t "$name" remain-on-exit on
}

screen() { tm capture-pane -p -J -S - -t "$1"; }

# after NAME MARK: what the terminal shows below the last line containing MARK.
after() {
  screen "$1" | awk -v mark="$2" 'index($0, mark) { out = ""; seen = 1; next } seen { out = out $0 "\n" } END { printf "%s", out }'
}

# expect_after NAME MARK TEXT WHAT: waits up to 30 s for TEXT below the line with MARK.
expect_after() {
  for _ in $(seq 1 300); do
    [[ "$(after "$1" "$2")" == *"$3"* ]] && return 0
    sleep 0.1
  done
  fail "$4: no '$3' after '$2'; the terminal shows:
$(screen "$1")"
  return 1
}

# keys NAME TEXT: types TEXT. (tmux takes a ';' that ends an argument for a command
# separator unless it is escaped.)
keys() {
  local text="$2"
  [[ "$text" == *";" ]] && text="${text%;}\\;"
  tm send-keys -t "$1" -l "$text"
}

# type_line NAME TEXT: types TEXT and Enter.
type_line() {
  keys "$1" "$2"
  tm send-keys -t "$1" Enter
}

# exit_status NAME: waits until sluice in NAME has ended and prints its exit code.
exit_status() {
  for _ in $(seq 1 300); do
    [ -s "$WORK_DIR/$1.exit" ] && { cat "$WORK_DIR/$1.exit"; return 0; }
    sleep 0.1
  done
  echo "still running"
}

start A shell --no-progress
expect_after A "Enter \".help\"" "sluice> " "the prompt"

# A statement over two lines: the continuation prompt, then the result.
type_line A "SELECT 40 +"
expect_after A "SELECT 40 +" "   ...> " "the continuation prompt"
type_line A "2 AS answer;"
expect_after A "2 AS answer;" "42" "a statement over two lines"

# Two statements on one line: both results.
type_line A "SELECT 1000 + 1 AS a; SELECT 2000 + 2 AS b;"
expect_after A "SELECT 2000 + 2 AS b;" "1001" "the first of two results"
expect_after A "SELECT 2000 + 2 AS b;" "2002" "the second of two results"

# An error is reported with its caret, and the shell goes on.
type_line A "SELECT * FROM no_such_table;"
expect_after A "FROM no_such_table;" "does not exist" "an error"
expect_after A "FROM no_such_table;" "^" "the error's caret"
type_line A "SELECT 3 * 3 AS after_error;"
expect_after A "AS after_error;" "9" "a statement after an error"

# Dot commands.
type_line A "CREATE TABLE lineitem_demo AS SELECT range AS id FROM range(3);"
expect_after A "FROM range(3);" "sluice> " "CREATE TABLE"
type_line A ".tables"
expect_after A ".tables" "lineitem_demo" ".tables"
type_line A ".schema lineitem_demo"
expect_after A ".schema lineitem_demo" "CREATE TABLE lineitem_demo(id BIGINT);" ".schema"
type_line A ".mode csv"
type_line A "SELECT id, id * 10 AS tens FROM lineitem_demo ORDER BY id;"
expect_after A "AS tens FROM lineitem_demo" "id,tens" ".mode csv: the header"
expect_after A "AS tens FROM lineitem_demo" "2,20" ".mode csv: the rows"
type_line A ".mode duckbox"
type_line A ".timer on"
type_line A "SELECT 5 AS timed;"
expect_after A "SELECT 5 AS timed;" "Run Time (s): real " ".timer on"
type_line A ".timer off"
printf 'SELECT 111 * 3 AS from_file;\n.mode csv\nSELECT %s AS joined;\n.mode duckbox\n' "'x' || 'y'" >script.sql
type_line A ".read script.sql"
expect_after A ".read script.sql" "333" ".read: a statement"
expect_after A ".read script.sql" "xy" ".read: a dot command and a statement"
type_line A ".bogus"
expect_after A "sluice> .bogus" "unknown command '.bogus'" "an unknown dot command"

# TAB completes a table name.
keys A "SELECT sum(id) + 1000 AS s FROM lineitem_d"
tm send-keys -t A Tab
expect_after A "Enter \".help\"" "FROM lineitem_demo " "TAB completion of a table name"
type_line A ";"
expect_after A "FROM lineitem_demo ;" "1003" "the completed statement"

# Ctrl-C drops the line being typed (and a statement left open).
keys A "SELECT 'dropped"
tm send-keys -t A C-c
type_line A "SELECT 6 * 7 AS after_ctrl_c;"
expect_after A "AS after_ctrl_c;" "42" "Ctrl-C at the prompt"
type_line A "SELECT 1 +"
expect_after A "SELECT 1 +" "   ...> " "the continuation prompt again"
tm send-keys -t A C-c
type_line A "SELECT 5 + 5 AS fresh;"
expect_after A "AS fresh;" "10" "Ctrl-C drops the open statement"

# Ctrl-C stops a running query (keep pressing it until the query has started) and the
# shell answers afterwards.
type_line A "SELECT count(*) FROM range(10000000000) WHERE range % 7 = 3;"
for _ in $(seq 1 100); do
  [[ "$(after A "WHERE range % 7 = 3;")" == *Interrupted* ]] && break
  tm send-keys -t A C-c
  sleep 0.3
done
expect_after A "WHERE range % 7 = 3;" "Interrupted" "Ctrl-C stops a running query"
type_line A "SELECT 8 * 8 AS alive;"
expect_after A "SELECT 8 * 8 AS alive;" "64" "the shell after an interrupted query"

# .open: a warehouse folder, where the next statements write.
type_line A ".open $WORK_DIR/wh"
type_line A "CREATE TABLE kept AS SELECT 1 AS k;"
expect_after A "CREATE TABLE kept" "sluice> " "CREATE TABLE after .open"
type_line A ".tables"
expect_after A "AS SELECT 1 AS k;" "kept" ".tables after .open"
[[ "$(after A "AS SELECT 1 AS k;")" == *lineitem_demo* ]] && fail ".open kept the tables of the old session"
[ -d "$WORK_DIR/wh/main/kept" ] || fail ".open: no table folder in the warehouse: $(ls -R "$WORK_DIR/wh" 2>&1)"

# Ctrl-D on an empty line leaves, with exit code 0.
tm send-keys -t A C-d
[ "$(exit_status A)" == 0 ] || fail "Ctrl-D: exit status $(exit_status A)"

# The history file has the lines typed, not the line dropped by Ctrl-C.
HISTORY="$HOME/.sluice_history"
[ -f "$HISTORY" ] || fail "no history file"
grep -qxF "SELECT 40 +" "$HISTORY" || fail "the history lacks 'SELECT 40 +': $(cat "$HISTORY")"
grep -qxF ".tables" "$HISTORY" || fail "the history lacks '.tables'"
grep -qF "dropped" "$HISTORY" && fail "the history has the line dropped by Ctrl-C"

# `sluice` alone on a terminal opens the shell, with the history of the last one: Up shows
# the last line typed there.
start B
expect_after B "Enter \".help\"" "sluice> " "sluice alone on a terminal"
tm send-keys -t B Up
expect_after B "Enter \".help\"" "sluice> .tables" "Up recalls the history"
tm send-keys -t B C-u
type_line B "SELECT 12 * 12 AS sq;"
expect_after B "AS sq;" "144" "a query in the second shell"
type_line B ".quit"
[ "$(exit_status B)" == 0 ] || fail ".quit: exit status $(exit_status B); the terminal shows:
$(screen B)"

# `sluice sql` without -c or -f on a terminal opens the shell too.
start C sql --no-progress
expect_after C "Enter \".help\"" "sluice> " "sluice sql on a terminal"
type_line C ".exit"
[ "$(exit_status C)" == 0 ] || fail ".exit: exit status $(exit_status C)"

finish
