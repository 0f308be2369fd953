// `envmon config check FILE`, `envmon config schema [--json]` and `envmon list`.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "app/commands.h"
#include "app/components.h"
#include "model/codec.h"

namespace envmon::app {
namespace {

std::string bounds_text(const config::FieldSpec& f) {
  if (f.type == config::FieldType::enumeration) {
    std::string out;
    for (const auto& c : f.choices)
      out += (out.empty() ? "" : "|") + c;
    return out;
  }
  if (f.type != config::FieldType::integer && f.type != config::FieldType::number) return "";
  std::ostringstream os;
  os << "[" << f.min << ", " << f.max << "]";
  return os.str();
}

void print_schema_text(const std::vector<config::SchemaDoc>& docs) {
  for (const auto& d : docs) {
    std::cout << "\n" << d.section << "\n  " << d.description << "\n";
    for (const auto& f : d.fields) {
      std::cout << "  " << f.key << "  (" << config::field_type_name(f.type);
      if (!f.unit.empty()) std::cout << ", " << f.unit;
      std::cout << ")";
      if (f.required) {
        std::cout << "  required";
      } else if (!f.default_value.empty()) {
        std::cout << "  default: " << f.default_value;
      }
      if (const auto b = bounds_text(f); !b.empty()) std::cout << "  " << b;
      if (f.secret) std::cout << "  secret";
      std::cout << "\n      " << f.description << "\n";
    }
  }
}

void print_schema_json(const std::vector<config::SchemaDoc>& docs) {
  std::string out = "{\"sections\":[";
  for (size_t i = 0; i < docs.size(); ++i) {
    const auto& d = docs[i];
    out += i ? "," : "";
    out += "{\"section\":";
    append_json_string(out, d.section);
    out += ",\"description\":";
    append_json_string(out, d.description);
    out += ",\"keys\":[";
    for (size_t k = 0; k < d.fields.size(); ++k) {
      const auto& f = d.fields[k];
      out += k ? "," : "";
      out += "{\"key\":";
      append_json_string(out, f.key);
      out += ",\"type\":";
      append_json_string(out, config::field_type_name(f.type));
      out += ",\"default\":";
      append_json_string(out, f.default_value);
      out += ",\"unit\":";
      append_json_string(out, f.unit);
      out += ",\"bounds\":";
      append_json_string(out, bounds_text(f));
      out += std::string(",\"required\":") + (f.required ? "true" : "false");
      out += std::string(",\"secret\":") + (f.secret ? "true" : "false");
      out += ",\"description\":";
      append_json_string(out, f.description);
      out += "}";
    }
    out += "]}";
  }
  out += "]}";
  std::cout << out << "\n";
}

int check(const std::string& file) {
  auto node = config::load_file(file);
  if (!node.ok()) {
    std::cerr << "error: " << node.error().message() << "\n";
    return 2;
  }
  auto app = config::parse_app_config(*node, known_types());
  std::vector<std::string> notes;
  Status s = app.ok() ? validate_components(*app, &notes) : Status(app.error());
  if (!s.ok()) {
    std::cerr << "config check failed:\n";
    std::istringstream lines(s.error().message());
    for (std::string line; std::getline(lines, line);)
      std::cerr << "  error: " << line << "\n";
    return 2;
  }
  std::cout << "config OK: " << file << ": " << app->stations.size() << " stations, "
            << app->sources.size() << " source(s); bus=" << app->bus.type
            << " store=" << app->store.type << " lake=" << app->lake.type
            << " cache=" << app->cache.type << "\n";
  for (const auto& n : notes)
    std::cout << "  note: " << n << "\n";
  return 0;
}

}  // namespace

int cmd_config(const std::vector<std::string>& words) {
  auto args = parse_args(words, {}, {"json"});
  if (!args.ok()) {
    std::cerr << "error: " << args.error().message() << "\n";
    return 2;
  }
  const auto& pos = args->positional;
  if (pos.size() == 2 && pos[0] == "check") return check(pos[1]);
  if (pos.size() == 1 && pos[0] == "schema") {
    if (args->has("json")) {
      print_schema_json(all_schema_docs());
    } else {
      std::cout << "envmon configuration keys (one YAML file; ${VAR} and ${VAR:-default} read the "
                   "environment)\n";
      print_schema_text(all_schema_docs());
    }
    return 0;
  }
  std::cerr << "usage: envmon config check FILE | envmon config schema [--json]\n";
  return 2;
}

int cmd_list(const std::vector<std::string>&) {
  for (const auto& c : registered_components()) {
    std::printf("%-8s %-10s %s\n", c.kind.c_str(), c.type.c_str(), c.description.c_str());
  }
  return 0;
}

}  // namespace envmon::app
