// FNO's pruned 2-D transforms (low_mode_transform.hpp), as FFTW plans over chunks of fields.
//
// Forward, per chunk of fields, into the scratch H (fields, n0, h), h = n1 / 2 + 1:
//   1. H(f, r, :) = rfft(x(f, r, :))                 every row r < n0        (plan_many r2c)
//   2. H(f, :, c) = fft(H(f, :, c))                  only the columns c < m1 (guru c2c)
//   3. block(f, j0, c) = H(f, row(j0), c)            row(j0) = j0 or n0 - 2 m0 + j0
// Backward runs it the other way: H = the block scaled by 1 / (n0 n1) on its rows and columns
// and 0 elsewhere, the inverse column transforms on c < m1 (the other columns stay 0), then a
// c2r of every row. The column pass is the one that shrinks, from h to m1 columns; the chunk
// (about 1 MiB of H and x) keeps the three steps in cache, as the local engine does.

#include "torus/fft/low_mode_transform.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "torus/core/error.hpp"
#include "torus/fft/fftw_api.hpp"
#include "torus/fft/fftw_flags.hpp"

namespace torus::fft {

namespace {
constexpr std::int64_t chunk_bytes = std::int64_t(1) << 20;
}  // namespace

template <class T>
struct LowModeTransform<T>::Plans {
  using api = detail::Fftw<T>;
  struct Set {
    typename api::plan rows_forward = nullptr;
    typename api::plan columns_forward = nullptr;
    typename api::plan columns_backward = nullptr;
    typename api::plan rows_backward = nullptr;
  };

  std::array<int, 2> n;
  std::array<int, 2> m;
  int h = 0;
  int chunk = 1;
  unsigned flags = 0;
  Kokkos::complex<T>* H = nullptr;  // chunk x n0 x h, fftw_malloc'd (aligned)
  std::map<std::pair<int, bool>, Set> sets;

  ~Plans() {
    for (auto& [key, s] : sets) {
      for (auto p : {s.rows_forward, s.columns_forward, s.columns_backward, s.rows_backward}) {
        if (p != nullptr) api::destroy(p);
      }
    }
    if (H != nullptr) api::free(H);
  }

  // The plans for `count` fields whose real arrays are (or are not) FFTW-aligned.
  const Set& get(int count, bool aligned) {
    const auto key = std::make_pair(count, aligned);
    auto found = sets.find(key);
    if (found != sets.end()) return found->second;
    return sets[key] = make(count, aligned ? 0u : unsigned(FFTW_UNALIGNED));
  }

  Set make(int count, unsigned extra) const {
    // Measuring overwrites the arrays: plan on scratch, run on the caller's through the
    // new-array interface (the column plans run in place on H itself).
    const std::int64_t real_points = std::int64_t(count) * n[0] * n[1];
    T* real = api::alloc_real(static_cast<size_t>(real_points));
    auto* spectral = api::alloc_complex(static_cast<size_t>(std::int64_t(count) * n[0] * h));
    TORUS_REQUIRE(real != nullptr && spectral != nullptr,
                  "out of memory while planning the low-mode transforms of " +
                      std::to_string(count) + " fields",
                  "fft::LowModeTransform", "transform fewer fields at once");
    const int rows = count * n[0];
    Set s;
    s.rows_forward = api::plan_many_r2c(1, &n[1], rows, real, nullptr, 1, n[1], spectral, nullptr,
                                        1, h, flags | extra);
    s.rows_backward = api::plan_many_c2r(1, &n[1], rows, spectral, nullptr, 1, h, real, nullptr, 1,
                                         n[1], flags | extra | FFTW_DESTROY_INPUT);
    // Columns c < m1 of every field: length n0 with stride h, for (field, column) pairs.
    typename api::iodim length{n[0], h, h};
    typename api::iodim loops[2] = {{count, n[0] * h, n[0] * h}, {m[1], 1, 1}};
    s.columns_forward =
        api::plan_guru_dft(1, &length, 2, loops, spectral, spectral, FFTW_FORWARD, flags);
    s.columns_backward =
        api::plan_guru_dft(1, &length, 2, loops, spectral, spectral, FFTW_BACKWARD, flags);
    api::free(real);
    api::free(spectral);
    TORUS_REQUIRE(s.rows_forward && s.rows_backward && s.columns_forward && s.columns_backward,
                  "FFTW could not plan the low-mode transforms", "fft::LowModeTransform",
                  "report this with the grid, modes and field count");
    return s;
  }
};

template <class T>
LowModeTransform<T>::LowModeTransform(std::array<int, 2> n, std::array<int, 2> modes, int fields,
                                      Planning planning)
    : n_(n), modes_(modes), fields_(fields), plans_(std::make_unique<Plans>()) {
  const std::string grid = std::to_string(n[0]) + "x" + std::to_string(n[1]);
  TORUS_REQUIRE(n[0] >= 2 && n[1] >= 2, "a " + grid + " grid", "fft::LowModeTransform",
                "use at least 2 points along each axis");
  TORUS_REQUIRE(modes[0] >= 1 && 2 * modes[0] <= n[0] && modes[1] >= 1 && modes[1] <= n[1] / 2 + 1,
                "modes " + std::to_string(modes[0]) + "x" + std::to_string(modes[1]) +
                    " do not fit the " + grid + " grid",
                "fft::LowModeTransform",
                "keep 1 <= m0 <= n0 / 2 and 1 <= m1 <= n1 / 2 + 1 (the block takes 2 m0 rows)");
  TORUS_REQUIRE(fields >= 1, std::to_string(fields) + " fields", "fft::LowModeTransform",
                "transform at least one field");
  Plans& p = *plans_;
  p.n = n;
  p.m = modes;
  p.h = n[1] / 2 + 1;
  const std::int64_t field_bytes =
      std::int64_t(n[0]) * (p.h * 2 + n[1]) * static_cast<std::int64_t>(sizeof(T));
  p.chunk = static_cast<int>(std::clamp<std::int64_t>(chunk_bytes / field_bytes, 1, fields));
  p.flags = detail::prepare_planner(planning);
  p.H = reinterpret_cast<Kokkos::complex<T>*>(
      Plans::api::alloc_complex(static_cast<size_t>(std::int64_t(p.chunk) * n[0] * p.h)));
  TORUS_REQUIRE(p.H != nullptr, "out of memory for the low-mode transforms' scratch",
                "fft::LowModeTransform", "transform fewer fields at once");
  // Plan the shapes every call uses now, so the measuring happens at construction.
  p.get(p.chunk, true);
  if (fields % p.chunk != 0) p.get(fields % p.chunk, true);
}

template <class T>
LowModeTransform<T>::~LowModeTransform() = default;

template <class T>
void LowModeTransform<T>::forward(const T* x, Kokkos::complex<T>* block) {
  using api = typename Plans::api;
  Plans& p = *plans_;
  const int n0 = n_[0], n1 = n_[1], h = p.h, m0 = modes_[0], m1 = modes_[1];
  for (int first = 0; first < fields_; first += p.chunk) {
    const int count = std::min(p.chunk, fields_ - first);
    // An out-of-place r2c leaves its input alone; FFTW's signature just is not const.
    T* input = const_cast<T*>(x) + std::int64_t(first) * n0 * n1;
    const auto& s = p.get(count, api::alignment_of(input) == 0);
    api::execute_r2c(s.rows_forward, input, api::cast(p.H));
    api::execute_dft(s.columns_forward, api::cast(p.H), api::cast(p.H));
    // block(f, j0, c) = H(f, row(j0), c), c < m1.
    const Kokkos::complex<T>* H = p.H;
    Kokkos::complex<T>* out = block + std::int64_t(first) * 2 * m0 * m1;
    Kokkos::parallel_for(
        "torus::fft::LowModeTransform gather",
        Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace>(0, std::int64_t(count) * 2 * m0),
        [=](const std::int64_t row) {
          const std::int64_t f = row / (2 * m0);
          const int j0 = static_cast<int>(row % (2 * m0));
          const int r = j0 < m0 ? j0 : n0 - 2 * m0 + j0;
          const Kokkos::complex<T>* from = H + (f * n0 + r) * h;
          Kokkos::complex<T>* to = out + row * m1;
          for (int c = 0; c < m1; ++c) to[c] = from[c];
        });
  }
}

template <class T>
void LowModeTransform<T>::backward(const Kokkos::complex<T>* block, T* x) {
  using api = typename Plans::api;
  Plans& p = *plans_;
  const int n0 = n_[0], n1 = n_[1], h = p.h, m0 = modes_[0], m1 = modes_[1];
  const T scale = static_cast<T>(1.0 / (static_cast<double>(n0) * n1));
  for (int first = 0; first < fields_; first += p.chunk) {
    const int count = std::min(p.chunk, fields_ - first);
    // H(f, r, c) = block(f, j0(r), c) / N on the block's rows and columns, else 0.
    Kokkos::complex<T>* H = p.H;
    const Kokkos::complex<T>* in = block + std::int64_t(first) * 2 * m0 * m1;
    Kokkos::parallel_for(
        "torus::fft::LowModeTransform scatter",
        Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace>(0, std::int64_t(count) * n0),
        [=](const std::int64_t row) {
          const std::int64_t f = row / n0;
          const int r = static_cast<int>(row % n0);
          const int j0 = r < m0 ? r : (r >= n0 - m0 ? r - n0 + 2 * m0 : -1);
          Kokkos::complex<T>* to = H + row * h;
          int c = 0;
          if (j0 >= 0) {
            const Kokkos::complex<T>* from = in + (f * 2 * m0 + j0) * m1;
            for (; c < m1; ++c) to[c] = from[c] * scale;
          }
          for (; c < h; ++c) to[c] = Kokkos::complex<T>(0, 0);
        });
    T* output = x + std::int64_t(first) * n0 * n1;
    const auto& s = p.get(count, api::alignment_of(output) == 0);
    api::execute_dft(s.columns_backward, api::cast(p.H), api::cast(p.H));
    api::execute_c2r(s.rows_backward, api::cast(p.H), output);
  }
}

template class LowModeTransform<float>;
template class LowModeTransform<double>;

}  // namespace torus::fft
