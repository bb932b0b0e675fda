#include "torus/core/random.hpp"

namespace torus {

std::uint64_t RandomStream::below(std::uint64_t n) {
  if (n <= 1) return 0;
  // Lemire (2019): take the high word of bits * n; reject the few low words that would bias it.
  const std::uint64_t threshold = (0 - n) % n;
  while (true) {
    const __uint128_t product = static_cast<__uint128_t>(bits()) * n;
    if (static_cast<std::uint64_t>(product) >= threshold) {
      return static_cast<std::uint64_t>(product >> 64);
    }
  }
}

}  // namespace torus
