#include "torus/pde/ns2d_system.hpp"

#include <cmath>

#include "torus/core/error.hpp"
#include "torus/core/vector_clones.hpp"
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

// Samples per pass of the nonlinear term: the largest divisor of the batch whose scratch (three
// spectral and three physical fields per sample, about 6 n0 n1 doubles) stays within ~4 MiB, so a
// pass runs from cache; at least 1. Measured at 256^2 (5 MiB per sample): one sample per pass
// transforms 8 samples 1.4x faster than one pass over all 8.
int pass_size(const fft::Grid<2>& grid, int batch) {
  const double bytes = 6.0 * sizeof(double) * static_cast<double>(grid.local_points());
  const int fit = std::max(1, static_cast<int>((4 << 20) / bytes));
  int chunk = 1;
  for (int c = 1; c <= std::min(batch, fit); ++c)
    if (batch % c == 0) chunk = c;
  return chunk;
}

}  // namespace

Ns2dSystem::Ns2dSystem(const fft::Grid<2>& grid, int batch, const Ns2dParameters& parameters)
    : grid_(grid),
      batch_(batch),
      chunk_(pass_size(grid, std::max(batch, 1))),
      parameters_(parameters),
      inverse_plan_(grid, chunk_, 2),
      forward_plan_(grid, chunk_, parameters.convention == Ns2dConvention::fno ? 1 : 2) {
  validate(parameters, grid);
  TORUS_REQUIRE(batch >= 1, "the batch must hold at least one sample", "Ns2dSystem",
                "pass batch >= 1");
  fields_hat_ = inverse_plan_.make_spectral("torus::pde::Ns2dSystem fields_hat");
  fields_ = inverse_plan_.make_real("torus::pde::Ns2dSystem fields");
  advection_ = forward_plan_.make_real("torus::pde::Ns2dSystem advection");
  scratch_ = forward_plan_.make_spectral("torus::pde::Ns2dSystem scratch");

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
  // Standard convention, two more: the multipliers of the products in the divergence-free
  // form, -k_x k_y and k_y^2 - k_x^2, times the dealias mask.
  modes_ = Kokkos::View<double* [6], Kokkos::LayoutLeft>("torus::pde::Ns2dSystem modes",
                                                         std::size_t(m0) * m1);
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
        const double keep = w.kept(f) ? 1.0 : 0.0;
        modes(j, 4) = -kx * ky * keep;
        modes(j, 5) = (ky * ky - kx * kx) * keep;
        modes(j, 0) = kx * inverse_points;
        modes(j, 1) = ky * inverse_points;
        modes(j, 2) = inverse_k2;
        modes(j, 3) = keep;
      });

  // q_hat, Norm::backward like the state (0 without forcing).
  fft::Plan<double, 2> single(grid, 1, 1);
  auto q = single.make_real("torus::pde::Ns2dSystem q");
  forcing_field(grid, parameters.forcing, q);
  forcing_hat_ = single.make_spectral("torus::pde::Ns2dSystem q_hat");
  single.forward(q, forcing_hat_);
}

void Ns2dSystem::nonlinear(double, const const_spectral_view& omega_hat, const spectral_view& out) {
  TORUS_REQUIRE(omega_hat.span_is_contiguous() && out.span_is_contiguous() &&
                    omega_hat.extent(0) == std::size_t(batch_) &&
                    out.extent(0) == std::size_t(batch_),
                "the state must be a contiguous (batch, 1, local spectral block) View",
                "Ns2dSystem::nonlinear", "pass the View the system was made for");
  const std::size_t block = modes_.extent(0);
  const auto& n = grid_.local_spectral_extents();
  // chunk_ samples at a time, so that each pass works in cache.
  for (int first = 0; first < batch_; first += chunk_) {
    const spectral_view out_chunk(out.data() + first * block, chunk_, 1, n[0], n[1]);
    // The standard convention's forward transform has two channels: it goes to scratch_.
    nonlinear_pass(const_cast<Kokkos::complex<double>*>(omega_hat.data()) + first * block,
                   out_chunk);
  }
}

bool Ns2dSystem::crank_nicolson_euler_step(double, const spectral_view& omega_hat, double dt) {
  TORUS_REQUIRE(omega_hat.span_is_contiguous() && omega_hat.extent(0) == std::size_t(batch_),
                "the state must be a contiguous (batch, 1, local spectral block) View",
                "Ns2dSystem::crank_nicolson_euler_step", "pass the View the system was made for");
  const std::size_t block = modes_.extent(0);
  if (dt != step_dt_) tabulate_step(dt);
  for (int first = 0; first < batch_; first += chunk_)
    nonlinear_pass(omega_hat.data() + first * block, scratch_, dt);
  return true;
}

// The fno-cn update omega <- [(1 + dt/2 lambda) omega + dt (q_hat - D[a_hat])] / (1 - dt/2 lambda)
// as omega <- A omega + Q - K a_hat, per mode
//   A = (1 + dt/2 lambda) / (1 - dt/2 lambda),  Q = dt q_hat / (1 - dt/2 lambda),
//   K = dt / (1 - dt/2 lambda), times the product's dealias mask in the fno convention,
// so the step divides nothing (divisions are the slowest arithmetic the pass had).
void Ns2dSystem::tabulate_step(double dt) {
  const int block = static_cast<int>(modes_.extent(0));
  if (step_.extent(0) == 0) {
    step_ = Kokkos::View<double* [2], Kokkos::LayoutLeft>("torus::pde::Ns2dSystem A, K", block);
    step_forcing_ = Kokkos::View<Kokkos::complex<double>*>("torus::pde::Ns2dSystem Q", block);
  }
  const auto table = step_;
  const auto forcing = step_forcing_;
  const auto lambda = lambda_;
  const auto modes = modes_;
  const auto q = forcing_hat_;
  const bool fno = parameters_.convention == Ns2dConvention::fno;
  const double half_dt = 0.5 * dt;
  Kokkos::parallel_for(
      "torus::pde::Ns2dSystem step tables", Kokkos::RangePolicy<>(0, block),
      KOKKOS_LAMBDA(const int j) {
        const double denominator = 1 - half_dt * lambda(j);
        table(j, 0) = (1 + half_dt * lambda(j)) / denominator;
        table(j, 1) = (fno ? modes(j, 3) : 1.0) * dt / denominator;
        forcing(j) = dt * q(0, 0, j / q.extent(3), j % q.extent(3)) / denominator;
      });
  step_dt_ = dt;
}

void Ns2dSystem::nonlinear_pass(Kokkos::complex<double>* omega, const spectral_view& out,
                                double dt) {
  if (parameters_.convention == Ns2dConvention::fno)
    advective_pass(omega, out, dt);
  else
    divergence_free_pass(omega, out, dt);
}

// Writes N = q_hat - D[a_hat] for the chunk_ samples whose advection spectrum the callable
// `advection(b, j)` gives, into `out`; or, with dt > 0, the fused fno-cn update
//   omega <- A omega + Q - K advection,
// with the tables of tabulate_step() (N is then never written, and the fno convention's
// callable leaves the dealias mask to K).
template <class Advection>
void Ns2dSystem::finish_pass(Kokkos::complex<double>* omega, const spectral_view& out, double dt,
                             const Advection& advection) {
  using complex = Kokkos::complex<double>;
  const int block = static_cast<int>(modes_.extent(0));
  const complex* q = forcing_hat_.data();
  const double* amplification = &step_(0, 0);
  const double* gain = &step_(0, 1);
  const complex* forcing = step_forcing_.data();
  for (int b = 0; b < chunk_; ++b) {
    complex* result = out.data() + std::size_t(b) * block;
    complex* w = omega + std::size_t(b) * block;
    if (dt > 0) {
      Kokkos::parallel_for(
          "torus::pde::Ns2dSystem fno-cn step", Kokkos::RangePolicy<>(0, block),
          KOKKOS_LAMBDA(const int j) {
            const complex a = advection(b, j);
            const double re =
                amplification[j] * w[j].real() + forcing[j].real() - gain[j] * a.real();
            const double im =
                amplification[j] * w[j].imag() + forcing[j].imag() - gain[j] * a.imag();
            w[j] = complex(re, im);
          });
    } else {
      Kokkos::parallel_for(
          "torus::pde::Ns2dSystem nonlinear", Kokkos::RangePolicy<>(0, block),
          KOKKOS_LAMBDA(const int j) { result[j] = q[j] - advection(b, j); });
    }
  }
}

TORUS_VECTOR_CLONES void Ns2dSystem::advective_pass(Kokkos::complex<double>* omega,
                                                    const spectral_view& out, double dt) {
  using complex = Kokkos::complex<double>;
  const int block = static_cast<int>(modes_.extent(0));
  const int points = grid_.local_extents()[0] * grid_.local_extents()[1];
  // The table's columns as plain arrays, and one kernel per sample: simple loops the compiler
  // vectorises (a loop over the samples inside each mode defeated it).
  const double *kx = &modes_(0, 0), *ky = &modes_(0, 1), *inverse_k2 = &modes_(0, 2);
  const double* keep = &modes_(0, 3);

  // The four fields go to the grid in two pairs, (u, omega_x) then (v, omega_y), each pair's
  // product summed into a as soon as it is on the grid: the working set of a pass is two
  // spectral and two physical fields instead of four of each (docs/design.md, 'Cost of a
  // step'). The transforms are the same five per sample.
  for (int pair = 0; pair < 2; ++pair) {
    // Per mode: psi = omega / |k|^2 and
    //   u = i k_y psi,  v = -i k_x psi,  omega_x = i k_x omega,  omega_y = i k_y omega,
    // with k_x, k_y, 1/|k|^2 from the table (FNO's Nyquist rules are in it); the first pair is
    // (u, omega_x), the second (v, omega_y) = (i (-k_x) psi, i k_y omega).
    // i a z = (-a Im z, a Re z).
    for (int b = 0; b < chunk_; ++b) {
      const complex* z = omega + std::size_t(b) * block;
      complex* velocity = fields_hat_.data() + std::size_t(2 * b) * block;
      complex* gradient = velocity + block;
      if (pair == 0) {
        Kokkos::parallel_for(
            "torus::pde::Ns2dSystem u, omega_x", Kokkos::RangePolicy<>(0, block),
            KOKKOS_LAMBDA(const int j) {
              const double re = z[j].real(), im = z[j].imag();
              const double a = ky[j] * inverse_k2[j];
              velocity[j] = complex(-a * im, a * re);
              gradient[j] = complex(-kx[j] * im, kx[j] * re);
            });
      } else {
        Kokkos::parallel_for(
            "torus::pde::Ns2dSystem v, omega_y", Kokkos::RangePolicy<>(0, block),
            KOKKOS_LAMBDA(const int j) {
              const double re = z[j].real(), im = z[j].imag();
              const double c = kx[j] * inverse_k2[j];
              velocity[j] = complex(c * im, -c * re);
              gradient[j] = complex(-ky[j] * im, ky[j] * re);
            });
      }
    }
    inverse_plan_.backward_overwriting(fields_hat_, fields_, fft::Norm::forward);  // 1/N: table

    // a = u omega_x + v omega_y at every grid point, one pair at a time.
    for (int b = 0; b < chunk_; ++b) {
      const double* velocity = fields_.data() + std::size_t(2 * b) * points;
      const double* gradient = velocity + points;
      double* a = advection_.data() + std::size_t(b) * points;
      if (pair == 0) {
        Kokkos::parallel_for(
            "torus::pde::Ns2dSystem u omega_x", Kokkos::RangePolicy<>(0, points),
            KOKKOS_LAMBDA(const int p) { a[p] = velocity[p] * gradient[p]; });
      } else {
        Kokkos::parallel_for(
            "torus::pde::Ns2dSystem + v omega_y", Kokkos::RangePolicy<>(0, points),
            KOKKOS_LAMBDA(const int p) { a[p] += velocity[p] * gradient[p]; });
      }
    }
  }
  const spectral_view a_hat = dt > 0 ? scratch_ : out;
  forward_plan_.forward(advection_, a_hat);

  // D[a_hat]: FNO dealiases the product only (in the fused step, K holds the mask).
  const complex* spectrum = a_hat.data();
  if (dt > 0) {
    finish_pass(
        omega, out, dt,
        KOKKOS_LAMBDA(const int b, const int j) { return spectrum[std::size_t(b) * block + j]; });
  } else {
    finish_pass(
        omega, out, dt, KOKKOS_LAMBDA(const int b, const int j) {
          return keep[j] * spectrum[std::size_t(b) * block + j];
        });
  }
}

void Ns2dSystem::divergence_free_pass(Kokkos::complex<double>* omega, const spectral_view& out,
                                      double dt) {
  using complex = Kokkos::complex<double>;
  const int block = static_cast<int>(modes_.extent(0));
  const int points = grid_.local_extents()[0] * grid_.local_extents()[1];
  const double *kx = &modes_(0, 0), *ky = &modes_(0, 1), *inverse_k2 = &modes_(0, 2);
  const double* cross = &modes_(0, 4);       // -k_x k_y, dealiased
  const double* difference = &modes_(0, 5);  // k_y^2 - k_x^2, dealiased

  // With div u = 0 the advection is a sum of second derivatives of velocity products,
  //   u . grad omega = curl div(u u) = d_x d_y (v^2 - u^2) + (d_x^2 - d_y^2) (u v),
  // so one step needs the inverse transforms of u and v and the forward transforms of
  // v^2 - u^2 and u v: 4 per sample instead of 5. The factors are dealiased (the table zeroes
  // the dropped modes), so the products are exact on the modes the 2/3 rule keeps.
  for (int b = 0; b < chunk_; ++b) {
    const complex* z = omega + std::size_t(b) * block;
    complex* u = fields_hat_.data() + std::size_t(2 * b) * block;
    complex* v = u + block;
    Kokkos::parallel_for(
        "torus::pde::Ns2dSystem velocity", Kokkos::RangePolicy<>(0, block),
        KOKKOS_LAMBDA(const int j) {
          const double re = z[j].real(), im = z[j].imag();
          const double a = ky[j] * inverse_k2[j], c = kx[j] * inverse_k2[j];
          u[j] = complex(-a * im, a * re);
          v[j] = complex(c * im, -c * re);
        });
  }
  inverse_plan_.backward_overwriting(fields_hat_, fields_, fft::Norm::forward);  // 1/N: table

  // p = v^2 - u^2 and r = u v at every grid point.
  for (int b = 0; b < chunk_; ++b) {
    const double* u = fields_.data() + std::size_t(2 * b) * points;
    const double* v = u + points;
    double* p = advection_.data() + std::size_t(2 * b) * points;
    double* r = p + points;
    Kokkos::parallel_for(
        "torus::pde::Ns2dSystem products", Kokkos::RangePolicy<>(0, points),
        KOKKOS_LAMBDA(const int i) {
          p[i] = (v[i] - u[i]) * (v[i] + u[i]);
          r[i] = u[i] * v[i];
        });
  }
  forward_plan_.forward(advection_, scratch_);

  // F[u . grad omega] = -k_x k_y p_hat + (k_y^2 - k_x^2) r_hat, dealiased.
  const complex* spectrum = scratch_.data();
  finish_pass(
      omega, out, dt, KOKKOS_LAMBDA(const int b, const int j) {
        const complex* s = spectrum + std::size_t(2 * b) * block;
        return cross[j] * s[j] + difference[j] * s[block + j];
      });
}

}  // namespace torus::pde
