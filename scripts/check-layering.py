#!/usr/bin/python3
"""Checks that every module of src/ includes only itself and the modules below it.

The layering comes from the build: the module order is the add_subdirectory(src/<m>) order of
the root CMakeLists.txt, and each src/<m>/CMakeLists.txt declares its dependencies with
sluice_module(<m> DEPENDS ...) (cmake/SluiceModule.cmake). A module may include
"<x>/..." only when x is the module itself or one of its DEPENDS, transitively; the build
enforces the same through per-module include directories, this script says it without a
build and names file:line and the rule.

Usage: check-layering.py [--root DIR]   (DIR: the repository, default: this script's parent)
Exit code 0 when the layering holds, 1 with one line per violation otherwise.
"""

import argparse
import pathlib
import re
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
SUBDIR_RE = re.compile(r"add_subdirectory\(\s*src/([A-Za-z0-9_]+)\s*\)")
MODULE_RE = re.compile(r"sluice_module\(([^)]*)\)")
SOURCE_SUFFIXES = {".h", ".hpp", ".cpp", ".cc", ".inc"}


def strip_cmake_comments(text):
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def module_order(root):
    """The modules in the root CMakeLists.txt order (each may depend only on earlier ones)."""
    cmake = root / "CMakeLists.txt"
    return SUBDIR_RE.findall(strip_cmake_comments(cmake.read_text()))


def declared_depends(root, name, errors):
    """DEPENDS of sluice_module(name ...) in src/<name>/CMakeLists.txt, or None."""
    path = root / "src" / name / "CMakeLists.txt"
    calls = MODULE_RE.findall(strip_cmake_comments(path.read_text()))
    for call in calls:
        words = call.split()
        if not words or words[0] != name:
            errors.append(f"{path.relative_to(root)}: sluice_module({' '.join(words[:1])}) "
                          f"must declare the folder's own module '{name}'")
            return None
        depends, section = [], None
        for word in words[1:]:
            if word in ("DEPENDS", "SOURCES"):
                section = word
            elif section == "DEPENDS":
                depends.append(word)
        return depends
    errors.append(f"{path.relative_to(root)}: declare the module with "
                  f"sluice_module({name} DEPENDS ...) (cmake/SluiceModule.cmake)")
    return None


def load_graph(root, errors):
    """Direct DEPENDS per module, after checking each points only downward."""
    order = module_order(root)
    folders = sorted(p.parent.name for p in (root / "src").glob("*/CMakeLists.txt"))
    for name in folders:
        if name not in order:
            errors.append(f"src/{name}/: not added to the root CMakeLists.txt "
                          f"(add_subdirectory(src/{name}) above the modules that use it)")
    graph = {}
    for position, name in enumerate(order):
        if not (root / "src" / name / "CMakeLists.txt").exists():
            errors.append(f"CMakeLists.txt: add_subdirectory(src/{name}) has no "
                          f"src/{name}/CMakeLists.txt")
            continue
        depends = declared_depends(root, name, errors)
        if depends is None:
            continue
        below = order[:position]
        for dep in depends:
            if dep not in below:
                where = "is above it" if dep in order else "is not a module"
                errors.append(f"src/{name}/CMakeLists.txt: {name} DEPENDS {dep}, which {where}; "
                              f"modules depend only on those before them in the root "
                              f"CMakeLists.txt ({', '.join(below) or 'none'})")
        graph[name] = [d for d in depends if d in below]
    return order, graph


def closure(graph, name):
    seen, stack = set(), list(graph.get(name, []))
    while stack:
        dep = stack.pop()
        if dep not in seen:
            seen.add(dep)
            stack.extend(graph.get(dep, []))
    return seen


def check_includes(root, order, graph, errors):
    modules = set(order)
    for name in order:
        allowed = closure(graph, name) | {name}
        allowed_text = ", ".join(m for m in order if m in allowed)
        for path in sorted((root / "src" / name).rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            rel = path.relative_to(root)
            for line_no, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                match = INCLUDE_RE.match(line)
                if not match:
                    continue
                target = match.group(1)
                head = target.split("/", 1)[0] if "/" in target else None
                if head is None:
                    errors.append(f"{rel}:{line_no}: #include \"{target}\": include by path "
                                  f"from src/ (\"{name}/{target}\")")
                elif head not in modules:
                    errors.append(f"{rel}:{line_no}: #include \"{target}\": '{head}' is not a "
                                  f"module; include by path from src/ (\"<module>/file.h\")")
                elif head not in allowed:
                    errors.append(f"{rel}:{line_no}: #include \"{target}\": module {name} may "
                                  f"include only {allowed_text} (its DEPENDS in "
                                  f"src/{name}/CMakeLists.txt, transitively); {head} is "
                                  f"{'above' if order.index(head) > order.index(name) else 'not linked by'} "
                                  f"{name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    root = args.root.resolve()
    errors = []
    order, graph = load_graph(root, errors)
    check_includes(root, order, graph, errors)
    for error in errors:
        print(error)
    if errors:
        print(f"check-layering: {len(errors)} violation(s)", file=sys.stderr)
        return 1
    print(f"check-layering: {len(order)} modules, includes follow the layering")
    return 0


if __name__ == "__main__":
    sys.exit(main())
