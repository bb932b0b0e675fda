#include "torus/nn/tensor.hpp"

namespace torus::nn {

std::string shape_text(const Shape& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + (shape.size() == 1 ? ",)" : ")");
}

std::int64_t shape_size(const Shape& shape) {
  std::int64_t n = 1;
  for (const auto e : shape) {
    TORUS_REQUIRE(e >= 0, "tensor shape " + shape_text(shape) + " has a negative extent",
                  "nn::Tensor", "give extents >= 0");
    n *= e;
  }
  return n;
}

void require_shape(const Shape& actual, const Shape& expected, const std::string& who,
                   const std::string& role) {
  bool same = actual.size() == expected.size();
  for (std::size_t i = 0; same && i < actual.size(); ++i) {
    same = expected[i] < 0 || expected[i] == actual[i];
  }
  if (same) return;
  std::string want = "(";
  for (std::size_t i = 0; i < expected.size(); ++i) {
    want += (i ? ", " : "") + (expected[i] < 0 ? std::string("any") : std::to_string(expected[i]));
  }
  TORUS_THROW(role + " has shape " + shape_text(actual) + " but " + want + ") is expected", who,
              "pass a tensor of the expected shape");
}

}  // namespace torus::nn
