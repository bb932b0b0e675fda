#pragma once
/// \file
/// Reproducible random numbers: one seed gives every rank its own stream, and the numbers do not
/// depend on the backend or the thread count.
///
/// Values come from a counter-based generator: number i of stream s is a hash of (seed, s, i)
/// (the splitmix64 finaliser applied twice), so a Kokkos kernel can draw element i independently
/// and a Serial, OpenMP or CUDA build produces the same field.

#include <Kokkos_Core.hpp>

#include "torus/core/math.hpp"

#include <cmath>
#include <cstdint>

namespace torus {

/// Identifies one random stream: the user's seed and a stream number (rank, purpose, sample...).
struct RandomKey {
  std::uint64_t seed = 0;
  std::uint64_t stream = 0;
};

namespace detail {
/// splitmix64's finaliser: a bijective 64-bit mix with full avalanche.
KOKKOS_INLINE_FUNCTION std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace detail

/// The 64 random bits number `counter` of the stream `key`.
KOKKOS_INLINE_FUNCTION std::uint64_t random_bits(const RandomKey& key, std::uint64_t counter) {
  const std::uint64_t stream_base = detail::mix64(key.seed ^ detail::mix64(key.stream + 1));
  return detail::mix64(stream_base ^ detail::mix64(counter));
}

/// Uniform on [0, 1) with 53 random bits.
KOKKOS_INLINE_FUNCTION double random_uniform(const RandomKey& key, std::uint64_t counter) {
  return static_cast<double>(random_bits(key, counter) >> 11) * 0x1.0p-53;
}

/// Standard normal from two uniforms (Box-Muller): z = sqrt(-2 ln u1) cos(2 pi u2), u1 in (0, 1].
KOKKOS_INLINE_FUNCTION double random_normal(const RandomKey& key, std::uint64_t counter) {
  const double u1 = 1.0 - random_uniform(key, 2 * counter);
  const double u2 = random_uniform(key, 2 * counter + 1);
  return math::sqrt(-2.0 * math::log(u1)) * math::cos(6.283185307179586 * u2);
}

/// The key of the stream that rank `rank` uses for `purpose` (0 by default), from one user seed.
inline RandomKey rank_stream(std::uint64_t seed, int rank, std::uint64_t purpose = 0) {
  return RandomKey{seed, (static_cast<std::uint64_t>(rank) << 32) ^ purpose};
}

/// A sequential stream on the host, for shuffles and other inherently serial draws.
class RandomStream {
 public:
  explicit RandomStream(RandomKey key) : key_(key) {}
  std::uint64_t bits() { return random_bits(key_, counter_++); }
  double uniform() { return random_uniform(key_, counter_++); }
  double normal() { return random_normal(key_, counter_++); }
  /// Uniform integer in [0, n), without modulo bias (Lemire's multiply-shift with rejection).
  std::uint64_t below(std::uint64_t n);
  /// How many numbers have been drawn: with the key, enough to checkpoint and resume the stream.
  std::uint64_t position() const { return counter_; }
  void seek(std::uint64_t position) { counter_ = position; }
  const RandomKey& key() const { return key_; }

 private:
  RandomKey key_;
  std::uint64_t counter_ = 0;
};

/// Fills a contiguous View with uniform numbers on [low, high): element i (in memory order) is
/// number `first + i` of the stream.
template <class View>
void fill_uniform(const View& view, RandomKey key, double low, double high,
                  std::uint64_t first = 0) {
  using value_type = typename View::non_const_value_type;
  auto* data = view.data();
  const double width = high - low;
  Kokkos::parallel_for(
      "torus::fill_uniform", Kokkos::RangePolicy<typename View::execution_space>(0, view.span()),
      KOKKOS_LAMBDA(const std::size_t i) {
        data[i] = static_cast<value_type>(low + width * random_uniform(key, first + i));
      });
}

/// Fills a contiguous View with normal numbers of the given mean and standard deviation.
template <class View>
void fill_normal(const View& view, RandomKey key, double mean = 0.0, double stddev = 1.0,
                 std::uint64_t first = 0) {
  using value_type = typename View::non_const_value_type;
  auto* data = view.data();
  Kokkos::parallel_for(
      "torus::fill_normal", Kokkos::RangePolicy<typename View::execution_space>(0, view.span()),
      KOKKOS_LAMBDA(const std::size_t i) {
        data[i] = static_cast<value_type>(mean + stddev * random_normal(key, first + i));
      });
}

}  // namespace torus
