#include "torus/nn/architecture.hpp"

#include <cctype>

namespace torus::nn {

namespace {

using nlohmann::json;

/// "a Linear", "an Activation", "an FNO2d", "a T1": acronyms take the article of their first
/// letter's name, words that of their first letter.
std::string with_article(const std::string& kind) {
  const bool acronym = kind.size() >= 2 && std::isupper(static_cast<unsigned char>(kind[0])) &&
                       std::isupper(static_cast<unsigned char>(kind[1]));
  const std::string vowels = acronym ? "AEFHILMNORSX" : "AEIOUaeiou";
  const bool an = !kind.empty() && vowels.find(kind[0]) != std::string::npos;
  return (an ? "an " : "a ") + kind;
}

/// "config.width is 32 in A, 64 in B" for the first key of two config objects that differ.
std::string config_difference(const json& a, const json& b, const std::string& first,
                              const std::string& second) {
  if (a.is_object() && b.is_object()) {
    for (const auto& [key, value] : a.items()) {
      if (!b.contains(key)) {
        return "config." + key + " is " + value.dump() + " in " + first + " and absent in " +
               second;
      }
      if (value != b.at(key)) {
        return "config." + key + " is " + value.dump() + " in " + first + ", " + b.at(key).dump() +
               " in " + second;
      }
    }
    for (const auto& [key, value] : b.items()) {
      if (!a.contains(key)) {
        return "config." + key + " is absent in " + first + " and " + value.dump() + " in " +
               second;
      }
    }
  }
  return "config is " + a.dump() + " in " + first + ", " + b.dump() + " in " + second;
}

std::string list_difference(const json& a, const json& b, const std::string& what,
                            const std::string& first, const std::string& second) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name_a = a[i].value("name", std::string());
    const std::string name_b = b[i].value("name", std::string());
    if (name_a != name_b) {
      return what + " " + std::to_string(i) + " is '" + name_a + "' in " + first + ", '" + name_b +
             "' in " + second;
    }
  }
  if (a.size() != b.size()) {
    return std::to_string(a.size()) + " " + what + "s in " + first + ", " +
           std::to_string(b.size()) + " in " + second;
  }
  return {};
}

std::string difference(const json& a, const json& b, const std::string& where,
                       const std::string& first, const std::string& second) {
  const std::string kind_a = a.value("kind", std::string("?"));
  const std::string kind_b = b.value("kind", std::string("?"));
  const std::string at = where.empty() ? std::string() : where + ": ";
  if (kind_a != kind_b) {
    return at + with_article(kind_a) + " in " + first + ", " + with_article(kind_b) + " in " +
           second;
  }
  const std::string here = where.empty() ? kind_a : where + " (" + kind_a + ")";
  if (a.value("config", json::object()) != b.value("config", json::object())) {
    return here + ": " +
           config_difference(a.value("config", json::object()), b.value("config", json::object()),
                             first, second);
  }

  const json pa = a.value("parameters", json::array());
  const json pb = b.value("parameters", json::array());
  if (auto d = list_difference(pa, pb, "parameter", first, second); !d.empty()) {
    return here + ": " + d;
  }
  for (std::size_t i = 0; i < pa.size(); ++i) {
    if (pa[i] != pb[i]) {
      return here + ": parameter '" + pa[i].value("name", std::string()) + "' has shape " +
             pa[i].value("shape", json::array()).dump() + " in " + first + ", " +
             pb[i].value("shape", json::array()).dump() + " in " + second;
    }
  }

  const json ca = a.value("children", json::array());
  const json cb = b.value("children", json::array());
  if (auto d = list_difference(ca, cb, "child", first, second); !d.empty()) {
    return here + ": " + d;
  }
  for (std::size_t i = 0; i < ca.size(); ++i) {
    const std::string name = ca[i].value("name", std::string());
    auto d = difference(ca[i], cb[i], where.empty() ? "child '" + name + "'" : where + "." + name,
                        first, second);
    if (!d.empty()) return d;
  }
  if (a != b) return here + ": " + a.dump() + " in " + first + ", " + b.dump() + " in " + second;
  return {};
}

}  // namespace

template <class T>
nlohmann::json architecture(Module<T>& model) {
  json node = {{"kind", model.kind()}, {"config", model.config()}};

  // named_parameters() lists the module's own parameters first, then its children's.
  auto children = model.children();
  std::size_t inherited = 0;
  for (auto& [name, child] : children) inherited += child->named_parameters().size();
  const auto all = model.named_parameters();
  json parameters = json::array();
  for (std::size_t i = 0; i + inherited < all.size(); ++i) {
    parameters.push_back({{"name", all[i].first}, {"shape", all[i].second->value.shape()}});
  }
  node["parameters"] = parameters;

  json nodes = json::array();
  for (auto& [name, child] : children) {
    json sub = architecture(*child);
    sub["name"] = name;
    nodes.push_back(std::move(sub));
  }
  node["children"] = nodes;
  return node;
}

std::string architecture_difference(const nlohmann::json& a, const nlohmann::json& b,
                                    const std::string& first, const std::string& second) {
  if (a == b) return {};
  return difference(a, b, "", first, second);
}

std::string describe_architecture(const nlohmann::json& architecture) {
  std::string text = with_article(architecture.value("kind", std::string("unknown module")));
  const json config = architecture.value("config", json::object());
  std::string settings;
  int shown = 0;
  for (const auto& [key, value] : config.items()) {
    if (!value.is_primitive()) continue;
    if (shown++ == 4) {
      settings += ", ...";
      break;
    }
    settings += (settings.empty() ? "" : ", ") + key + " " +
                (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return settings.empty() ? text : text + " with " + settings;
}

template nlohmann::json architecture(Module<float>&);
template nlohmann::json architecture(Module<double>&);

}  // namespace torus::nn
