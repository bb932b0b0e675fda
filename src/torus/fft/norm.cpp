#include "torus/fft/norm.hpp"

#include "torus/core/error.hpp"

namespace torus::fft {

Norm parse_norm(std::string_view name) {
  if (name.empty() || name == "backward") return Norm::backward;
  if (name == "ortho") return Norm::ortho;
  if (name == "forward") return Norm::forward;
  TORUS_THROW("unknown FFT normalisation '" + std::string(name) + "'", "norm",
              "use \"backward\" (default), \"ortho\" or \"forward\", as in numpy.fft");
}

std::string to_string(Norm norm) {
  switch (norm) {
    case Norm::backward:
      return "backward";
    case Norm::ortho:
      return "ortho";
    case Norm::forward:
      return "forward";
  }
  return "backward";
}

}  // namespace torus::fft
