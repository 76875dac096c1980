#include "dbt/docs_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "api/dataframe.h"
#include "api/session.h"

namespace sluice::dbt {

namespace {

namespace fs = std::filesystem;

constexpr int kColumnWidth = 230;
constexpr int kRowHeight = 56;
constexpr int kBoxWidth = 180;
constexpr int kBoxHeight = 34;

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool InLineage(const Node& node) { return node.type != ResourceType::kTest; }

// `{% docs name %}...{% enddocs %}` blocks of the .md files under the model paths.
std::map<std::string, std::string> LoadDocsBlocks(const Project& project) {
  static const std::regex kBlock(
      R"(\{%-?\s*docs\s+(\w+)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\})");
  std::map<std::string, std::string> blocks;
  for (const auto& dir : project.model_paths) {
    const fs::path base = fs::path(project.root) / dir;
    if (!fs::is_directory(base)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(base)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".md") continue;
      std::ifstream in(entry.path());
      const std::string text((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      for (std::sregex_iterator it(text.begin(), text.end(), kBlock), end; it != end; ++it) {
        std::string body = (*it)[2].str();
        const size_t a = body.find_first_not_of(" \t\r\n");
        const size_t b = body.find_last_not_of(" \t\r\n");
        blocks[(*it)[1].str()] = a == std::string::npos ? "" : body.substr(a, b - a + 1);
      }
    }
  }
  return blocks;
}

std::string ResolveDocs(const std::string& text, const std::map<std::string, std::string>& blocks) {
  static const std::regex kDoc(R"(\{\{\s*doc\(\s*['"](\w+)['"]\s*\)\s*\}\})");
  std::string out;
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.begin(), text.end(), kDoc), end; it != end; ++it) {
    out.append(last, text.cbegin() + it->position());
    auto found = blocks.find((*it)[1].str());
    out += found != blocks.end() ? found->second : "(missing doc '" + (*it)[1].str() + "')";
    last = text.cbegin() + it->position() + it->length();
  }
  out.append(last, text.cend());
  return out;
}

// The lineage SVG: nodes placed by depth (the longest path from a root), edges as curves.
std::string LineageSvg(const Project& project, const Graph& graph) {
  std::map<std::string, int> depth;
  std::map<int, std::vector<std::string>> layers;
  for (const auto& id : graph.TopologicalOrder()) {
    const Node* node = project.Find(id);
    if (!InLineage(*node)) continue;
    int d = 0;
    for (const auto& parent : graph.Parents(id)) {
      auto it = depth.find(parent);
      if (it != depth.end()) d = std::max(d, it->second + 1);
    }
    depth[id] = d;
    layers[d].push_back(id);
  }
  std::map<std::string, std::pair<int, int>> position;  // top-left corner of the box
  size_t max_rows = 1;
  for (const auto& [d, ids] : layers) {
    max_rows = std::max(max_rows, ids.size());
    for (size_t row = 0; row < ids.size(); ++row) {
      position[ids[row]] = {20 + d * kColumnWidth, 20 + static_cast<int>(row) * kRowHeight};
    }
  }
  const int width = 40 + static_cast<int>(layers.size()) * kColumnWidth;
  const int height = 40 + static_cast<int>(max_rows) * kRowHeight;
  std::ostringstream svg;
  svg << fmt::format(
             R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}">)",
             width, height)
      << "\n";
  for (const auto& [id, from] : position) {
    for (const auto& child : graph.Children(id)) {
      auto to = position.find(child);
      if (to == position.end()) continue;
      const int x1 = from.first + kBoxWidth, y1 = from.second + kBoxHeight / 2;
      const int x2 = to->second.first, y2 = to->second.second + kBoxHeight / 2;
      const int mid = (x1 + x2) / 2;
      svg << fmt::format(
                 R"(<path class="edge" data-from="{}" data-to="{}" d="M {} {} C {} {}, {} {}, {} {}" fill="none" stroke="#888"/>)",
                 Escape(id), Escape(child), x1, y1, mid, y1, mid, y2, x2, y2)
          << "\n";
    }
  }
  static const std::map<ResourceType, const char*> kFill = {{ResourceType::kModel, "#dbeafe"},
                                                            {ResourceType::kSeed, "#dcfce7"},
                                                            {ResourceType::kSource, "#fef9c3"},
                                                            {ResourceType::kSnapshot, "#fce7f3"}};
  for (const auto& [id, at] : position) {
    const Node* node = project.Find(id);
    const std::string label =
        node->type == ResourceType::kSource ? node->source_name + "." + node->name : node->name;
    svg << fmt::format(
               R"(<a href="#{0}"><g class="node" data-id="{0}"><rect x="{1}" y="{2}" width="{3}" height="{4}" rx="6" fill="{5}" stroke="#555"/><text x="{6}" y="{7}" font-size="12" text-anchor="middle">{8}</text></g></a>)",
               Escape(id), at.first, at.second, kBoxWidth, kBoxHeight, kFill.at(node->type),
               at.first + kBoxWidth / 2, at.second + kBoxHeight / 2 + 4, Escape(label))
        << "\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace

std::string WriteDocsPage(const Project& project, const Graph& graph, const Compiler& compiler,
                          Session& session, const std::string& target_dir) {
  const auto blocks = LoadDocsBlocks(project);
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" << Escape(project.name)
       << " docs</title>\n<style>body{font-family:sans-serif;margin:2em}pre{background:#f4f4f4;"
          "padding:1em;overflow:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
          "padding:2px 8px}</style></head><body>\n<h1>"
       << Escape(project.name) << "</h1>\n<h2>Lineage</h2>\n"
       << LineageSvg(project, graph);
  for (const auto& id : graph.TopologicalOrder()) {
    const Node& node = *project.Find(id);
    if (!InLineage(node)) continue;
    html << "<section id=\"" << Escape(id) << "\">\n<h2>" << Escape(node.name) << " <small>("
         << ResourceTypeName(node.type) << ")</small></h2>\n";
    if (!node.relation.empty())
      html << "<p>Relation: <code>" << Escape(node.relation) << "</code></p>\n";
    if (!node.description.empty()) {
      html << "<p>" << Escape(ResolveDocs(node.description, blocks)) << "</p>\n";
    }
    // Columns: the warehouse's (name and type) when built, with the descriptions of YAML.
    std::vector<std::pair<std::string, std::string>> built;
    const std::string relation = node.type == ResourceType::kSource
                                     ? node.source_name + "." + node.identifier
                                     : node.relation;
    try {
      if (!relation.empty() && session.HasTable(relation)) {
        const DataFrame table = session.Table(relation);
        for (const auto& f : table.schema().fields()) built.emplace_back(f.name, f.type.ToString());
      }
    } catch (const std::exception&) {
      // A view that no longer binds: the page shows the YAML columns only.
    }
    std::vector<std::string> names;
    for (const auto& [name, type] : built) names.push_back(name);
    for (const auto& [name, description] : node.columns) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    if (!names.empty()) {
      html << "<table><tr><th>column</th><th>type</th><th>description</th></tr>\n";
      for (const auto& name : names) {
        std::string type, description;
        for (const auto& [n, t] : built)
          if (n == name) type = t;
        for (const auto& [n, d] : node.columns)
          if (n == name) description = ResolveDocs(d, blocks);
        html << "<tr><td>" << Escape(name) << "</td><td>" << Escape(type) << "</td><td>"
             << Escape(description) << "</td></tr>\n";
      }
      html << "</table>\n";
    }
    std::vector<std::string> tests;
    for (const auto& child : graph.Children(id)) {
      if (project.Find(child)->type == ResourceType::kTest)
        tests.push_back(project.Find(child)->name);
    }
    if (!tests.empty()) {
      html << "<p>Tests:</p><ul>\n";
      for (const auto& t : tests) html << "<li class=\"test\">" << Escape(t) << "</li>\n";
      html << "</ul>\n";
    }
    if (!node.raw_code.empty()) {
      std::string sql;
      try {
        sql = compiler.Compile(node, false);
      } catch (const std::exception& e) {
        sql = std::string("-- does not compile: ") + e.what();
      }
      html << "<pre class=\"sql\">" << Escape(sql) << "</pre>\n";
    }
    html << "</section>\n";
  }
  html << "</body></html>\n";
  fs::create_directories(target_dir);
  const std::string path = (fs::path(target_dir) / "index.html").string();
  std::ofstream(path) << html.str();
  return path;
}

}  // namespace sluice::dbt
