// The variance-preserving initialisation of T1.
//
// Setting. The lifted field u (batch, width, X, Y) has, at initialisation on unit-variance
// random inputs, independent unit-variance values (the VP lift has W ~ variance 1/fan_in and no
// bias). The orthonormal transform keeps its energy: every coefficient has unit variance
// (Parseval), and the retained block keeps the fraction D/N of it, N = X Y points and D the
// retained real dimensions (m0 m1 for the DCT; 4 m0 m1 - 2 m0 + [2 m0 < X] for the rfft). The
// physical field those coefficients stand for, synthesise(h), therefore has mean square
// q = ||h||^2 / (N width) = D/N of u's: truncation alone shrinks the signal by rho = N / D (28
// at 64^2 with 12^2 modes). Poli et al. compensate that in the spectral weights (a variance
// N / (m fan_in)); we do the same, once, and keep the energy afterwards.
//
// One block. h_out = h + act(a), a = C h + Y X h. With zero-mean independent weights and
// per-entry variance v of h:
//   Var(C h)   = width sigma_C^2 v,           Var(Y X h) = M0 sigma_X^2 M1 sigma_Y^2 v,
// and we split the gain g evenly between the branches:
//   sigma_C^2 = g / (2 width),   sigma_X^2 = 1 / M0,   sigma_Y^2 = g / (2 M1)   =>  Var(a) = g v.
// With a Gaussian, E[act(a)^2] = kappa(g v) g v, kappa(s2) = E[act(z)^2] / s2, z ~ N(0, s2).
// a is zero-mean (zero-mean weights) but act(a) is not (gelu, relu, silu have a mean
// m(s2) = E[act(z)] > 0), so the residual stream gathers a mean mu and the cross term
// E[h act(a)] = mu m(g v) (a mixes many entries, so it is nearly independent of h_k):
//   v_out = v + kappa(g v) g v + 2 mu m(g v),     mu_out = mu + m(g v).
// Block 1 restores the truncated energy, growth G_1 = max(rho, 1 + 1/L); blocks 2..L grow by
// G = 1 + 1/L each, which a residual stack cannot avoid but keeps below e over all L blocks.
// Each g solves v_out / v = G by bisection (the left side grows with g), tracking v and mu
// from v = 1, mu = 0 at block 1. sin saturates (E[sin^2] <= 1/2), so a growth beyond
// 1 + 1/(2 v) has no solution: the iteration stops at a large g and the variance falls short.
//
// Head. y = W2 act(W1 h) over channels, per mode: sigma_W1^2 = 1 / fan_in keeps the variance v_L
// and sigma_W2^2 = 1 / (kappa(v_L) hidden) undoes the activation's loss, so the predicted
// coefficients have the per-entry variance of the block output, and the physical prediction
// the mean square of u.
//
// Every weight is drawn uniform on +-sqrt(3) sigma (variance sigma^2).
#include "torus/operators/t1_init.hpp"

#include <algorithm>
#include <cmath>

#include "torus/core/math.hpp"
#include "torus/nn/tensor.hpp"

namespace torus::operators {

std::string to_string(T1Init init) {
  return init == T1Init::variance_preserving ? "variance_preserving" : "pytorch";
}

T1Init parse_t1_init(const std::string& name) {
  if (name == "variance_preserving") return T1Init::variance_preserving;
  if (name == "pytorch") return T1Init::pytorch;
  TORUS_THROW("unknown T1 initialisation '" + name + "'", "T1 option init",
              "use variance_preserving or pytorch");
}

namespace {

// (E[f(z)], E[f(z)^2]) for z ~ N(0, s2): the midpoint rule on t = z / s in [-10, 10].
std::pair<double, double> activation_moments(nn::ActivationKind activation, double s2) {
  constexpr int n = 4000;
  const double dt = 20.0 / n;
  const double s = std::sqrt(s2);
  nn::Tensor<double> f({n}, "torus::operators::t1_activation_moments");
  double* values = f.data();
  Kokkos::parallel_for(
      "torus::operators::t1_gain_nodes", Kokkos::RangePolicy<nn::ExecutionSpace>(0, n),
      KOKKOS_LAMBDA(const int i) { values[i] = s * (-10.0 + (i + 0.5) * dt); });
  nn::apply_activation<double>(activation, values, n);
  double first = 0.0, second = 0.0;
  Kokkos::parallel_reduce(
      "torus::operators::t1_gain_sum", Kokkos::RangePolicy<nn::ExecutionSpace>(0, n),
      KOKKOS_LAMBDA(const int i, double& sum) {
        const double t = -10.0 + (i + 0.5) * dt;
        sum += values[i] * 0.39894228040143267794 * math::exp(-0.5 * t * t) * dt;
      },
      first);
  Kokkos::parallel_reduce(
      "torus::operators::t1_gain_sum", Kokkos::RangePolicy<nn::ExecutionSpace>(0, n),
      KOKKOS_LAMBDA(const int i, double& sum) {
        const double t = -10.0 + (i + 0.5) * dt;
        sum += values[i] * values[i] * 0.39894228040143267794 * math::exp(-0.5 * t * t) * dt;
      },
      second);
  return {first, second};
}

}  // namespace

double t1_activation_gain(nn::ActivationKind activation, double s2) {
  return activation_moments(activation, s2).second / s2;
}

std::pair<std::vector<double>, double> t1_variance_preserving_gains(nn::ActivationKind activation,
                                                                    int layers, double rho) {
  std::vector<double> gains;
  double v = 1.0, mu = 0.0;
  const double later = 1.0 + 1.0 / std::max(layers, 1);
  for (int l = 0; l < layers; ++l) {
    const double growth = l == 0 ? std::max(rho, later) : later;
    // 1 + kappa(g v) g + 2 mu m(g v) / v - G grows with g: bisect on [0, 1e4].
    auto excess = [&](double g) {
      const auto [m, second] = activation_moments(activation, g * v);
      return 1.0 + second / v + 2.0 * mu * m / v - growth;
    };
    double low = 0.0, high = 1e4;
    if (excess(high) < 0.0) {
      low = high;  // sin saturates: the largest gain tried, the growth falls short
    }
    for (int it = 0; it < 60 && high - low > 1e-9 * high; ++it) {
      const double mid = 0.5 * (low + high);
      (excess(mid) < 0.0 ? low : high) = mid;
    }
    const double g = 0.5 * (low + high);
    gains.push_back(g);
    const auto [m, second] = activation_moments(activation, g * v);
    v += second + 2.0 * mu * m;
    mu += m;
  }
  return {gains, v};
}

}  // namespace torus::operators
