#!/usr/bin/python3
"""Tests of scripts/check-layering.py: it passes on the repository and on a copy of it, and
fails, naming file:line and the rule, once a copy gets an upward include or dependency."""

import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check-layering.py"


def run_check(root):
    result = subprocess.run([sys.executable, str(SCRIPT), "--root", str(root)],
                            capture_output=True, text=True, check=False)
    return result.returncode, result.stdout


class CheckLayeringTest(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="check_layering_"))
        shutil.copy(ROOT / "CMakeLists.txt", self.tmp / "CMakeLists.txt")
        shutil.copytree(ROOT / "src", self.tmp / "src")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def edit(self, rel, old, new):
        path = self.tmp / rel
        text = path.read_text()
        self.assertIn(old, text)
        path.write_text(text.replace(old, new, 1))

    def test_repository_follows_layering(self):
        code, out = run_check(ROOT)
        self.assertEqual(code, 0, out)

    def test_copy_follows_layering(self):
        code, out = run_check(self.tmp)
        self.assertEqual(code, 0, out)

    def test_upward_include_fails_with_file_line_and_rule(self):
        self.edit("src/plan/logical_plan.h", "#pragma once\n",
                  "#pragma once\n#include \"exec/operator.h\"\n")
        code, out = run_check(self.tmp)
        self.assertEqual(code, 1)
        self.assertIn("src/plan/logical_plan.h:2: #include \"exec/operator.h\": module plan "
                      "may include only common, types, vector, expr, objstore, io, plan", out)
        self.assertIn("exec is above plan", out)

    def test_include_of_unlinked_sibling_fails(self):
        self.edit("src/sql/lexer.cpp", "#include", "#include \"vector/batch.h\"\n#include")
        code, out = run_check(self.tmp)
        self.assertEqual(code, 1)
        self.assertIn("src/sql/lexer.cpp:1: #include \"vector/batch.h\": module sql", out)

    def test_upward_dependency_fails(self):
        self.edit("src/optimizer/CMakeLists.txt", "DEPENDS plan", "DEPENDS plan physical")
        code, out = run_check(self.tmp)
        self.assertEqual(code, 1)
        self.assertIn("src/optimizer/CMakeLists.txt: optimizer DEPENDS physical, which is above "
                      "it", out)

    def test_undeclared_module_fails(self):
        (self.tmp / "src" / "undeclared").mkdir()
        (self.tmp / "src" / "undeclared" / "CMakeLists.txt").write_text(
            "add_library(sluice_undeclared STATIC writer.cpp)\n")
        self.edit("CMakeLists.txt", "add_subdirectory(src/exec)",
                  "add_subdirectory(src/undeclared)\nadd_subdirectory(src/exec)")
        code, out = run_check(self.tmp)
        self.assertEqual(code, 1)
        self.assertIn("src/undeclared/CMakeLists.txt: declare the module with "
                      "sluice_module(undeclared DEPENDS ...)", out)

    def test_include_not_by_path_fails(self):
        self.edit("src/io/file.cpp", "#include", "#include \"file.h\"\n#include")
        code, out = run_check(self.tmp)
        self.assertEqual(code, 1)
        self.assertIn("src/io/file.cpp:1: #include \"file.h\": include by path from src/", out)


if __name__ == "__main__":
    unittest.main()
