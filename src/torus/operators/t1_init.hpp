#pragma once
/// \file
/// The weight initialisations of T1: the variance-preserving one (the default) and PyTorch's
/// default, for comparison. The formulas and their derivation are in t1_init.cpp.

#include <string>
#include <vector>

#include "torus/nn/activation.hpp"

namespace torus::operators {

/// How T1 initialises its weights.
/// - variance_preserving: the activations of the frequency layers keep the energy of the
///   lifted field through the layers (see t1_init.cpp for the formulas);
/// - pytorch: every weight uniform on +-1/sqrt(fan in), biases too (nn::Linear's default).
enum class T1Init { variance_preserving, pytorch };

/// "variance_preserving", "pytorch".
std::string to_string(T1Init init);
/// Parses the names of to_string(); throws torus::Error naming them otherwise.
T1Init parse_t1_init(const std::string& name);

/// kappa(s2) = E[act(z)^2] / s2 for z ~ N(0, s2): the fraction of a Gaussian's second moment
/// that the activation passes (gelu ~0.425 and relu 0.5 at s2 = 1), by quadrature over
/// +-10 standard deviations with the library's own activation kernels.
double t1_activation_gain(nn::ActivationKind activation, double s2);

/// The gains g_l of the T1 blocks (weight variances are g_l / (2 fan in), see t1_init.cpp) for
/// `layers` blocks whose input keeps 1/rho of the lifted field's energy (rho = X Y / retained
/// dimensions; 1 with keep_high), assuming unit-variance coefficients entering block 1.
/// The second element is the expected coefficient variance after the last block.
std::pair<std::vector<double>, double> t1_variance_preserving_gains(nn::ActivationKind activation,
                                                                    int layers, double rho);

}  // namespace torus::operators
