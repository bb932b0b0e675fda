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
// The cross term E[h act(a)] vanishes in expectation over the weights (odd part of act: zero
// mean weights; even part: the sign symmetry h -> -h), so
//   v_out = v (1 + kappa(g v) g).
// Block 1 restores the truncated energy, growth G_1 = max(rho, 1 + 1/L); blocks 2..L grow by
// G = 1 + 1/L each, which a residual stack cannot avoid but keeps below e over all L blocks.
// Each g solves 1 + kappa(g v) g = G by fixed-point iteration (kappa varies slowly with its
// argument for gelu, relu and silu). sin saturates (E[sin^2] <= 1/2), so a growth beyond
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

double t1_activation_gain(nn::ActivationKind activation, double s2) {
  // E[f(z)^2] = int f(s t)^2 phi(t) dt, midpoint rule on t in [-10, 10].
  constexpr int n = 4000;
  const double dt = 20.0 / n;
  const double s = std::sqrt(s2);
  nn::Tensor<double> f({n}, "torus::operators::t1_activation_gain");
  double* values = f.data();
  Kokkos::parallel_for(
      "torus::operators::t1_gain_nodes", Kokkos::RangePolicy<nn::ExecutionSpace>(0, n),
      KOKKOS_LAMBDA(const int i) { values[i] = s * (-10.0 + (i + 0.5) * dt); });
  nn::apply_activation<double>(activation, values, n);
  double moment = 0.0;
  Kokkos::parallel_reduce(
      "torus::operators::t1_gain_sum", Kokkos::RangePolicy<nn::ExecutionSpace>(0, n),
      KOKKOS_LAMBDA(const int i, double& sum) {
        const double t = -10.0 + (i + 0.5) * dt;
        sum += values[i] * values[i] * 0.39894228040143267794 * math::exp(-0.5 * t * t) * dt;
      },
      moment);
  return moment / s2;
}

std::pair<std::vector<double>, double> t1_variance_preserving_gains(nn::ActivationKind activation,
                                                                    int layers, double rho) {
  std::vector<double> gains;
  double v = 1.0;
  const double later = 1.0 + 1.0 / std::max(layers, 1);
  for (int l = 0; l < layers; ++l) {
    const double growth = l == 0 ? std::max(rho, later) : later;
    // g = (G - 1) / kappa(g v), iterated from kappa(v).
    double g = (growth - 1.0) / t1_activation_gain(activation, v);
    for (int it = 0; it < 30 && g < 1e4; ++it) {
      g = (growth - 1.0) / t1_activation_gain(activation, g * v);
    }
    g = std::min(g, 1e4);
    gains.push_back(g);
    v *= 1.0 + t1_activation_gain(activation, g * v) * g;
  }
  return {gains, v};
}

}  // namespace torus::operators
