# `cmake --install` gives another CMake project the C++ library: the README's example
# program, copied from the README, builds with find_package(Sluice) and
# target_link_libraries(app PRIVATE Sluice::sluice) against the installed package and runs.
source "$(dirname "$0")/cli_test_lib.sh"
die() {
  fail "$1"
  finish
}

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD_DIR="$(cd "$(dirname "$SLUICE")" && pwd)"
PREFIX="$WORK_DIR/prefix"
APP="$WORK_DIR/app"

cmake --install "$BUILD_DIR" --prefix "$PREFIX" --component library >"$WORK_DIR/install.log" 2>&1 ||
  die "cmake --install failed: $(tail -5 "$WORK_DIR/install.log")"
[ -f "$PREFIX/lib/cmake/Sluice/SluiceConfig.cmake" ] || die "no SluiceConfig.cmake installed"
[ -f "$PREFIX/include/sluice/api/dataframe.h" ] || die "no api/dataframe.h installed"
[ -f "$PREFIX/lib/libsluice_api.a" ] || die "no libsluice_api.a installed"

mkdir -p "$APP/raw" "$APP/out"
# The ```cpp block after "The C++ API" in the README, verbatim.
awk '/^The C\+\+ API/ { found = 1 } found && /^```cpp/ { in_block = 1; next }
     in_block && /^```/ { exit } in_block { print }' "$ROOT/README.md" >"$APP/main.cpp"
grep -q "int main" "$APP/main.cpp" || die "README has no C++ example program: $(cat "$APP/main.cpp")"
cat >"$APP/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(readme_example LANGUAGES CXX)
find_package(Sluice REQUIRED)
add_executable(app main.cpp)
target_link_libraries(app PRIVATE Sluice::sluice)
CMAKE
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$APP" -B "$APP/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$PREFIX" \
  "${launcher[@]}" >"$WORK_DIR/configure.log" 2>&1 ||
  die "find_package(Sluice) failed: $(tail -20 "$WORK_DIR/configure.log")"
cmake --build "$APP/build" >"$WORK_DIR/build.log" 2>&1 ||
  die "the README example did not build: $(grep -m5 -E 'error|undefined' "$WORK_DIR/build.log")"

printf 'id,region,amount\n1,north,10.5\n2,south,3.0\n3,north,0.5\n4,south,4.0\n5,east,2.0\n' \
  >"$APP/raw/orders.csv"
(cd "$APP" && ./build/app >"$WORK_DIR/app.out" 2>&1) || die "the example failed: $(cat "$WORK_DIR/app.out")"
grep -q "Exchange\|exchange\|WIDE" "$WORK_DIR/app.out" || die "no plan printed: $(cat "$WORK_DIR/app.out")"
expected=$'region,revenue,orders\nnorth,10.5,1\nsouth,7,2\neast,2,1'
[ "$(cat "$APP/out/report.csv")" = "$expected" ] ||
  die "report.csv: $(cat "$APP/out/report.csv")"
finish
