#include "torus/selfcheck.hpp"

#include <cmath>
#include <limits>

#include "torus/core/log.hpp"
#include "torus/core/math.hpp"
#include "torus/core/timer.hpp"
#include "torus/fft/derivatives.hpp"
#include "torus/fft/plan.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/views.hpp"
#include "torus/version.hpp"

namespace torus {
namespace {

using Space = Kokkos::HostSpace;
using Host = Kokkos::DefaultHostExecutionSpace;
using Plan2 = fft::Plan<double, 2, Space>;
using Plan3 = fft::Plan<double, 3, Space>;
constexpr double two_pi = 6.283185307179586;

double global_max(double local, MPI_Comm comm) {
  double result = 0;
  MPI_Allreduce(&local, &result, 1, MPI_DOUBLE, MPI_MAX, comm);
  return result;
}

double global_sum(double local, MPI_Comm comm) {
  double result = 0;
  MPI_Allreduce(&local, &result, 1, MPI_DOUBLE, MPI_SUM, comm);
  return result;
}

// The test field of sample b on the box [0, Lx) x [0, Ly), with p = 2 pi x / Lx, q = 2 pi y / Ly:
//   u    = sin((b+1) p) cos(3 q) + 0.5 cos(p + 2 q)
//   u_x  = (2 pi / Lx) [ (b+1) cos((b+1) p) cos(3 q) - 0.5 sin(p + 2 q) ]
//   lap u = -(2 pi)^2 [ ((b+1)^2/Lx^2 + 9/Ly^2) sin((b+1) p) cos(3 q)
//                       + 0.5 (1/Lx^2 + 4/Ly^2) cos(p + 2 q) ]
enum class Quantity { value, x_derivative, laplacian };

void fill_2d(const fft::Grid<2>& grid, const Plan2::real_view& field, Quantity quantity) {
  const double lx = grid.lengths()[0], ly = grid.lengths()[1];
  const double hx = lx / grid.extents()[0], hy = ly / grid.extents()[1];
  const int x0 = grid.local_start();
  Kokkos::parallel_for(
      "selfcheck::fill_2d",
      Kokkos::MDRangePolicy<Host, Kokkos::Rank<3>>(
          {0, 0, 0}, {field.extent(0), field.extent(2), field.extent(3)}),
      KOKKOS_LAMBDA(int b, int i, int j) {
        const double p = two_pi * (x0 + i) * hx / lx, q = two_pi * j * hy / ly;
        const double a = b + 1;
        double v = 0;
        switch (quantity) {
          case Quantity::value:
            v = math::sin(a * p) * math::cos(3 * q) + 0.5 * math::cos(p + 2 * q);
            break;
          case Quantity::x_derivative:
            v = two_pi / lx *
                (a * math::cos(a * p) * math::cos(3 * q) - 0.5 * math::sin(p + 2 * q));
            break;
          case Quantity::laplacian:
            v = -two_pi * two_pi *
                ((a * a / (lx * lx) + 9 / (ly * ly)) * math::sin(a * p) * math::cos(3 * q) +
                 0.5 * (1 / (lx * lx) + 4 / (ly * ly)) * math::cos(p + 2 * q));
            break;
        }
        field(b, 0, i, j) = v;
      });
}

template <class View>
double max_difference(const View& a, const View& b, MPI_Comm comm) {
  double local = 0;
  const auto* pa = a.data();
  const auto* pb = b.data();
  Kokkos::parallel_reduce(
      "selfcheck::max_difference", Kokkos::RangePolicy<Host>(0, a.span()),
      KOKKOS_LAMBDA(std::size_t i, double& worst) {
        const double d = std::fabs(pa[i] - pb[i]);
        if (d > worst) worst = d;
      },
      Kokkos::Max<double>(local));
  return global_max(local, comm);
}

// sum_x |u|^2 = sum_k w_k |u_hat_k|^2 for the unitary (ortho) transform, where w_k = 2 counts
// the conjugate mode r2c leaves out (w_k = 1 on the last axis at 0 and, for even n, n/2).
double parseval_gap(const fft::Grid<2>& grid, const Plan2::real_view& u,
                    const Plan2::spectral_view& u_hat) {
  const int ny = grid.extents()[1];
  double physical = 0, spectral = 0;
  for (std::size_t i = 0; i < u.span(); ++i) physical += u.data()[i] * u.data()[i];
  const auto& local = grid.local_spectral_extents();
  for (std::size_t b = 0; b < u_hat.extent(0); ++b)
    for (int i = 0; i < local[0]; ++i)
      for (int j = 0; j < local[1]; ++j) {
        const int ky = grid.spectral_axis(0) == 1 ? i + grid.local_spectral_start() : j;
        const double weight = (ky == 0 || (ny % 2 == 0 && ky == ny / 2)) ? 1.0 : 2.0;
        const auto c = u_hat(b, 0, i, j);
        spectral += weight * (c.real() * c.real() + c.imag() * c.imag());
      }
  physical = global_sum(physical, grid.comm());
  spectral = global_sum(spectral, grid.comm());
  return std::abs(physical - spectral) / physical;
}

}  // namespace

std::vector<SelfcheckResult> run_selfcheck(Runtime& runtime, const SelfcheckOptions& options) {
  std::vector<SelfcheckResult> results;
  MPI_Comm comm = runtime.comm();
  Timer timer;

  // 2-D: a non-square box, split over the ranks, spectral data transposed.
  fft::Grid<2> grid({options.n, options.n}, comm, fft::GridOptions{true}, {1.0, 2.0});
  log::info("selfcheck: {} fields on {}", options.batch, grid.describe());
  Plan2 plan(grid, options.batch, 1, {fft::Planning::estimate});
  auto u = plan.make_real("u");
  auto expected = plan.make_real("expected");
  auto result = plan.make_real("result");
  auto u_hat = plan.make_spectral("u_hat");
  auto work_hat = plan.make_spectral("work_hat");
  fill_2d(grid, u, Quantity::value);

  // Round-off of a double FFT round trip grows like eps log2 N; 100 eps log2 N leaves room for
  // the constants. A derivative amplifies the round-off of the highest mode by its |k|, the
  // Laplacian by |k|^2, with |k| up to pi n / L on each axis.
  const double n = options.n;
  const double tolerance = 100 * std::numeric_limits<double>::epsilon() * std::log2(n * n);
  const double k_max_x = two_pi * (n / 2) / grid.lengths()[0];
  const double k_max_y = two_pi * (n / 2) / grid.lengths()[1];

  plan.forward(u, u_hat);
  plan.backward(u_hat, result);
  results.push_back(
      {"round trip irfft2(rfft2(u)) = u", max_difference(result, u, comm), tolerance});

  fft::derivative(grid, 0, u_hat, work_hat);
  plan.backward_overwriting(work_hat, result);
  fill_2d(grid, expected, Quantity::x_derivative);
  results.push_back(
      {"spectral du/dx = analytic", max_difference(result, expected, comm), tolerance * k_max_x});

  fft::laplacian(grid, u_hat, work_hat);
  plan.backward_overwriting(work_hat, result);
  fill_2d(grid, expected, Quantity::laplacian);
  results.push_back({"spectral Laplacian = analytic", max_difference(result, expected, comm),
                     tolerance * (k_max_x * k_max_x + k_max_y * k_max_y)});

  plan.forward(u, u_hat, fft::Norm::ortho);
  results.push_back({"Parseval, ortho norm (relative)", parseval_gap(grid, u, u_hat), tolerance});

  // 3-D: Laplacian then inverse Laplacian gives back a zero-mean field.
  {
    const int m = std::max(2 * runtime.size(), options.n / 2);
    fft::Grid<3> cube({m, m, m}, comm);
    Plan3 plan3(cube, 1, 1, {fft::Planning::estimate});
    auto v = plan3.make_real("v");
    auto back = plan3.make_real("back");
    auto v_hat = plan3.make_spectral("v_hat");
    const int x0 = cube.local_start();
    // v = sin(2 pi x) cos(4 pi y) sin(2 pi z) + cos(2 pi (x + y + z)): zero mean.
    Kokkos::parallel_for(
        "selfcheck::fill_3d",
        Kokkos::MDRangePolicy<Host, Kokkos::Rank<3>>({0, 0, 0},
                                                     {v.extent(2), v.extent(3), v.extent(4)}),
        KOKKOS_LAMBDA(int i, int j, int k) {
          const double x = double(x0 + i) / m, y = double(j) / m, z = double(k) / m;
          v(0, 0, i, j, k) =
              math::sin(two_pi * x) * math::cos(2 * two_pi * y) * math::sin(two_pi * z) +
              math::cos(two_pi * (x + y + z));
        });
    plan3.forward(v, v_hat);
    fft::laplacian(cube, v_hat);
    fft::inverse_laplacian(cube, v_hat);
    plan3.backward_overwriting(v_hat, back);
    results.push_back(
        {"3-D inverse Laplacian of Laplacian = u", max_difference(back, v, comm),
         100 * std::numeric_limits<double>::epsilon() * std::log2(double(m) * m * m)});
  }

  // HDF5: write the slabs collectively (atomically), read them back, compare exactly.
  {
    auto file = io::File::create(options.output, comm);
    const io::Slab slab{2, grid.local_start(), grid.local_extents()[0]};
    io::write_slab(file, "u", u, slab);
    io::write_attribute(file, "/", "torus_version", std::string(TORUS_VERSION_STRING));
    io::write_attribute(file, "/", "grid", std::vector<std::int64_t>{options.n, options.n});
    io::write_attribute(file, "/", "lengths", std::vector<double>{1.0, 2.0});
    file.commit();
    auto reread = io::File::open(options.output, comm);
    auto back = io::read_slab<Plan2::real_view>(reread, "u", slab);
    const bool same_version =
        io::read_attribute<std::string>(reread, "/", "torus_version") == TORUS_VERSION_STRING;
    results.push_back({"HDF5 write, read back (exact)",
                       max_difference(back, u, comm) + (same_version ? 0.0 : 1.0), 0.0});
  }
  log::info("selfcheck: done in {:.2f} s", timer.seconds());
  return results;
}

}  // namespace torus
