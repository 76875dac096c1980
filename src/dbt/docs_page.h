#pragma once

#include <string>

#include "dbt/compiler.h"
#include "dbt/graph.h"
#include "dbt/project.h"

namespace sluice {
class Session;
}

namespace sluice::dbt {

// Writes <target_dir>/index.html: a static page with the lineage graph drawn as an SVG
// (a layered layout: one column per depth, one box per model, seed, snapshot or source,
// one curve per ref/source edge) and, per node, its description, compiled SQL, columns
// (from properties files and, when the relation is built, from the warehouse) and tests.
// `{{ doc('name') }}` in descriptions is replaced by the `{% docs name %}` block of a .md
// file under the model paths. Returns the page's path.
std::string WriteDocsPage(const Project& project, const Graph& graph, const Compiler& compiler,
                          Session& session, const std::string& target_dir);

}  // namespace sluice::dbt
