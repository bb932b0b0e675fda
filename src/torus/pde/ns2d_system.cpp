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

  // q_hat, Norm::backward like the state.
  fft::Plan<double, 2> single(grid, 1, 1);
  auto q = single.make_real("torus::pde::Ns2dSystem q");
  forcing_field(grid, parameters.forcing, q);
  forcing_hat_ = single.make_spectral("torus::pde::Ns2dSystem q_hat");
  single.forward(q, forcing_hat_);
}

void Ns2dSystem::nonlinear(double, const const_spectral_view& omega_hat, const spectral_view& out) {
  using complex = Kokkos::complex<double>;
  const Wavenumbers2 w = wavenumbers(grid_, parameters_.convention);
  const auto fields_hat = fields_hat_;
  const bool fno = w.fno;

  // psi = omega / |k|^2;  u = i k_y psi,  v = -i k_x psi,  omega_x = i k_x omega,
  // omega_y = i k_y omega, with the convention's Nyquist and dealiasing rules (file comment).
  fft::detail::for_each_entry(
      "torus::pde::Ns2dSystem derivatives", omega_hat,
      KOKKOS_LAMBDA(const int b, const int, const int i0, const int i1, const int) {
        int f[2];
        w.frequencies(i0, i1, f);
        const complex omega = omega_hat(b, 0, i0, i1);
        double kx = w.two_pi_over_length[0] * f[0], ky = w.two_pi_over_length[1] * f[1];
        const bool nyquist_x = w.n[0] % 2 == 0 && f[0] == -w.n[0] / 2;
        const bool nyquist_y = w.n[1] % 2 == 0 && f[1] == w.n[1] / 2;
        bool zero = false;
        if (fno) {
          if (nyquist_x && (f[1] == 0 || nyquist_y)) kx = 0;  // self-conjugate entries
          if (nyquist_y) ky = 0;
        } else {
          zero = !w.kept(f);  // dealias the factors too; this also removes every Nyquist mode
        }
        const double k2 = w.k2(f);
        const complex psi = k2 > 0 ? omega / k2 : complex(0, 0);
        // i a z = (-a Im z, a Re z)
        const auto times_i = [](double a, const complex& z) {
          return complex(-a * z.imag(), a * z.real());
        };
        const complex zero_c(0, 0);
        fields_hat(b, 0, i0, i1) = zero ? zero_c : times_i(ky, psi);
        fields_hat(b, 1, i0, i1) = zero ? zero_c : times_i(-kx, psi);
        fields_hat(b, 2, i0, i1) = zero ? zero_c : times_i(kx, omega);
        fields_hat(b, 3, i0, i1) = zero ? zero_c : times_i(ky, omega);
      });
  inverse_plan_.backward_overwriting(fields_hat_, fields_);

  // a = u omega_x + v omega_y at every grid point.
  const auto fields = fields_;
  const auto advection = advection_;
  fft::detail::for_each_entry(
      "torus::pde::Ns2dSystem advection", advection,
      KOKKOS_LAMBDA(const int b, const int, const int i, const int j, const int) {
        advection(b, 0, i, j) =
            fields(b, 0, i, j) * fields(b, 2, i, j) + fields(b, 1, i, j) * fields(b, 3, i, j);
      });
  forward_plan_.forward(advection_, out);

  // N = -D[a_hat] + q_hat.
  const auto forcing_hat = forcing_hat_;
  const bool forced = parameters_.forcing.kind != ForcingKind::none;
  fft::detail::for_each_entry(
      "torus::pde::Ns2dSystem nonlinear", out,
      KOKKOS_LAMBDA(const int b, const int, const int i0, const int i1, const int) {
        int f[2];
        w.frequencies(i0, i1, f);
        const complex a = w.kept(f) ? out(b, 0, i0, i1) : complex(0, 0);
        out(b, 0, i0, i1) = (forced ? forcing_hat(0, 0, i0, i1) : complex(0, 0)) - a;
      });
}

}  // namespace torus::pde
