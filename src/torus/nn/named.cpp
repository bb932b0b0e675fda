#include "torus/nn/named.hpp"

#include <set>

namespace torus::nn::detail {

template <class T>
void require_named_parameters(const NamedParameters<T>& parameters, const std::string& who) {
  std::set<std::string> seen;
  for (const auto& [name, p] : parameters) {
    TORUS_REQUIRE(p != nullptr, "parameter '" + name + "' is a null pointer", who,
                  "pass module.named_parameters()");
    TORUS_REQUIRE(p->grad.size() == p->value.size(),
                  "parameter '" + name + "' has " + std::to_string(p->value.size()) +
                      " values but a gradient of " + std::to_string(p->grad.size()),
                  who, "give every parameter a gradient of its value's shape");
    TORUS_REQUIRE(seen.insert(name).second, "two parameters are named '" + name + "'", who,
                  "pass module.named_parameters(), whose paths are unique");
  }
}

template void require_named_parameters<float>(const NamedParameters<float>&, const std::string&);
template void require_named_parameters<double>(const NamedParameters<double>&, const std::string&);

}  // namespace torus::nn::detail
