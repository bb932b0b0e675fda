#include "torus/pde/ns2d_system.hpp"

#include <cmath>

#include "torus/core/error.hpp"
#include "torus/fft/dealias.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::pde {

void validate(const Ns2dParameters& parameters, const fft::Grid<2>& grid) {
  TORUS_REQUIRE(std::isfinite(parameters.nu) && parameters.nu > 0,
                "the viscosity must be > 0, got " + std::to_string(parameters.nu),
                "the viscosity nu", "pass nu > 0 (the FNO data sets use 1e-3, 1e-4 and 1e-5)");
  validate(parameters.forcing, grid);
}

namespace {

// What the kernels need of the box and the convention, trivially copyable.
struct Wavenumbers2 {
  fft::detail::SpectralAxes<2> axes;
  double two_pi_over_length[2];
  int n[2];  // physical extents
  bool fno;

  // The signed frequencies (f_x, f_y) of storage indices (i0, i1), by physical axis.
  KOKKOS_INLINE_FUNCTION void frequencies(int i0, int i1, int f[2]) const {
    f[axes.axis[0]] = axes.frequency(0, i0);
    f[axes.axis[1]] = axes.frequency(1, i1);
  }

  // |k|^2 with k = 2 pi f / L; FNO reads |k|^2 = 1 at k = 0.
  KOKKOS_INLINE_FUNCTION double k2(const int f[2]) const {
    const double kx = two_pi_over_length[0] * f[0], ky = two_pi_over_length[1] * f[1];
    const double value = kx * kx + ky * ky;
    return (fno && value == 0) ? 1.0 : value;
  }

  // Whether the product u . grad omega keeps mode f: 3|f_a| < n_a (standard) or
  // |f_a| <= (2/3) floor(n_a / 2), i.e. 3|f_a| <= 2 floor(n_a / 2) (FNO), on both axes.
  KOKKOS_INLINE_FUNCTION bool kept(const int f[2]) const {
    bool keep = true;
    for (int a = 0; a < 2; ++a) {
      const int magnitude = f[a] < 0 ? -f[a] : f[a];
      keep = keep && (fno ? 3 * magnitude <= 2 * (n[a] / 2) : 3 * magnitude < n[a]);
    }
    return keep;
  }
};

Wavenumbers2 wavenumbers(const fft::Grid<2>& grid, Ns2dConvention convention) {
  Wavenumbers2 w;
  w.axes = fft::detail::spectral_axes(grid);
  for (int a = 0; a < 2; ++a) {
    w.two_pi_over_length[a] = 2 * M_PI / grid.lengths()[a];
    w.n[a] = grid.extents()[a];
  }
  w.fno = convention == Ns2dConvention::fno;
  return w;
}

}  // namespace

Ns2dSystem::Ns2dSystem(const fft::Grid<2>& grid, int batch, const Ns2dParameters& parameters)
    : grid_(grid),
      batch_(batch),
      parameters_(parameters),
      inverse_plan_(grid, std::max(batch, 1), 4),
      forward_plan_(grid, std::max(batch, 1), 1) {
  validate(parameters, grid);
  TORUS_REQUIRE(batch >= 1, "the batch must hold at least one sample", "Ns2dSystem",
                "pass batch >= 1");
  fields_hat_ = inverse_plan_.make_spectral("torus::pde::Ns2dSystem fields_hat");
  fields_ = inverse_plan_.make_real("torus::pde::Ns2dSystem fields");
  advection_ = forward_plan_.make_real("torus::pde::Ns2dSystem advection");

  // lambda = -nu |k|^2 - mu over the local block, C order of the storage axes.
  const Wavenumbers2 w = wavenumbers(grid, parameters.convention);
  const int m0 = grid.local_spectral_extents()[0], m1 = grid.local_spectral_extents()[1];
  lambda_ = Kokkos::View<double*>("torus::pde::Ns2dSystem lambda", std::size_t(m0) * m1);
  const auto lambda = lambda_;
  const double nu = parameters.nu, mu = parameters.forcing.drag;
  Kokkos::parallel_for(
      "torus::pde::Ns2dSystem lambda", Kokkos::RangePolicy<>(0, m0 * m1), KOKKOS_LAMBDA(int j) {
        int f[2];
        w.frequencies(j / m1, j % m1, f);
        lambda(j) = -nu * w.k2(f) - mu;
      });

  // Per mode: k_x / N and k_y / N as the derivatives use them (the 1/N of the inverse transform
  // folded in, so the transform itself scales nothing), 1/|k|^2 for the stream function (0 at
  // k = 0 and on modes the factors drop), and the product's dealias mask.
  modes_ = Kokkos::View<double* [4]>("torus::pde::Ns2dSystem modes", std::size_t(m0) * m1);
  const auto modes = modes_;
  const double inverse_points = 1.0 / static_cast<double>(grid.points());
  Kokkos::parallel_for(
      "torus::pde::Ns2dSystem modes", Kokkos::RangePolicy<>(0, m0 * m1), KOKKOS_LAMBDA(int j) {
        int f[2];
        w.frequencies(j / m1, j % m1, f);
        double kx = w.two_pi_over_length[0] * f[0], ky = w.two_pi_over_length[1] * f[1];
        const bool nyquist_x = w.n[0] % 2 == 0 && f[0] == -w.n[0] / 2;
        const bool nyquist_y = w.n[1] % 2 == 0 && f[1] == w.n[1] / 2;
        double inverse_k2 = (f[0] == 0 && f[1] == 0) ? 0.0 : 1.0 / w.k2(f);
        if (w.fno) {
          // FNO: full-spectrum derivatives with k = -n/2 at the Nyquist index, brought back by a
          // half-spectrum inverse: 0 on the self-conjugate entries of d/dx and on the Nyquist
          // column of d/dy.
          if (nyquist_x && (f[1] == 0 || nyquist_y)) kx = 0;
          if (nyquist_y) ky = 0;
        } else if (!w.kept(f)) {
          kx = ky = inverse_k2 = 0;  // dealias the factors; this removes every Nyquist mode too
        }
        modes(j, 0) = kx * inverse_points;
        modes(j, 1) = ky * inverse_points;
        modes(j, 2) = inverse_k2;
        modes(j, 3) = w.kept(f) ? 1.0 : 0.0;
      });

  // q_hat, Norm::backward like the state (0 without forcing).
  fft::Plan<double, 2> single(grid, 1, 1);
  auto q = single.make_real("torus::pde::Ns2dSystem q");
  forcing_field(grid, parameters.forcing, q);
  forcing_hat_ = single.make_spectral("torus::pde::Ns2dSystem q_hat");
  single.forward(q, forcing_hat_);
}

void Ns2dSystem::nonlinear(double, const const_spectral_view& omega_hat, const spectral_view& out) {
  using complex = Kokkos::complex<double>;
  TORUS_REQUIRE(omega_hat.span_is_contiguous() && out.span_is_contiguous() &&
                    omega_hat.extent(0) == std::size_t(batch_) &&
                    out.extent(0) == std::size_t(batch_),
                "the state must be a contiguous (batch, 1, local spectral block) View",
                "Ns2dSystem::nonlinear", "pass the View the system was made for");
  const int block = static_cast<int>(modes_.extent(0));
  const int points = grid_.local_extents()[0] * grid_.local_extents()[1];
  const int batch = batch_;

  // Per mode: psi = omega / |k|^2 and
  //   u = i k_y psi,  v = -i k_x psi,  omega_x = i k_x omega,  omega_y = i k_y omega,
  // with k_x, k_y, 1/|k|^2 from the table (the convention's Nyquist and dealias rules are in
  // it). i a z = (-a Im z, a Re z). One pass over the modes, the batch inside.
  const auto modes = modes_;
  const complex* omega = omega_hat.data();
  complex* fields_hat = fields_hat_.data();
  Kokkos::parallel_for(
      "torus::pde::Ns2dSystem derivatives", Kokkos::RangePolicy<>(0, block),
      KOKKOS_LAMBDA(const int j) {
        const double kx = modes(j, 0), ky = modes(j, 1), inverse_k2 = modes(j, 2);
        for (int b = 0; b < batch; ++b) {
          const complex z = omega[std::size_t(b) * block + j];
          complex* f = fields_hat + std::size_t(4 * b) * block + j;
          f[0] = complex(-ky * inverse_k2 * z.imag(), ky * inverse_k2 * z.real());
          f[block] = complex(kx * inverse_k2 * z.imag(), -kx * inverse_k2 * z.real());
          f[2 * block] = complex(-kx * z.imag(), kx * z.real());
          f[3 * block] = complex(-ky * z.imag(), ky * z.real());
        }
      });
  inverse_plan_.backward_overwriting(fields_hat_, fields_,
                                     fft::Norm::forward);  // 1/N is in the table

  // a = u omega_x + v omega_y at every grid point.
  const double* fields = fields_.data();
  double* advection = advection_.data();
  Kokkos::parallel_for(
      "torus::pde::Ns2dSystem advection", Kokkos::RangePolicy<>(0, points),
      KOKKOS_LAMBDA(const int p) {
        for (int b = 0; b < batch; ++b) {
          const double* u = fields + std::size_t(4 * b) * points + p;
          advection[std::size_t(b) * points + p] = u[0] * u[2 * points] + u[points] * u[3 * points];
        }
      });
  forward_plan_.forward(advection_, out);

  // N = q_hat - D[a_hat], D the product's dealias mask (column 3 of the table).
  const complex* forcing_hat = forcing_hat_.data();
  complex* result = out.data();
  Kokkos::parallel_for(
      "torus::pde::Ns2dSystem nonlinear", Kokkos::RangePolicy<>(0, block),
      KOKKOS_LAMBDA(const int j) {
        const double keep = modes(j, 3);
        const complex q = forcing_hat[j];
        for (int b = 0; b < batch; ++b) {
          complex& entry = result[std::size_t(b) * block + j];
          entry = q - keep * entry;
        }
      });
}

}  // namespace torus::pde
