#include "torus/operators/t1.hpp"

#include <cmath>
#include <string>

namespace torus::operators {

namespace {

const T1Options& validated(const T1Options& o) {
  TORUS_REQUIRE(
      o.in_channels >= 1 && o.out_channels >= 1 && o.width >= 1 && o.hidden >= 1 && o.layers >= 1,
      "T1 options in_channels " + std::to_string(o.in_channels) + ", out_channels " +
          std::to_string(o.out_channels) + ", width " + std::to_string(o.width) + ", hidden " +
          std::to_string(o.hidden) + ", layers " + std::to_string(o.layers),
      "operators::T1", "give every one of them at least 1");
  return o;
}

RandomKey child_key(RandomKey key, std::uint64_t child) {
  return RandomKey{key.seed, key.stream * 64 + child};
}

template <class T>
void fill_with_variance(nn::Parameter<T>& p, RandomKey key, double variance) {
  const double bound = std::sqrt(3.0 * variance);
  fill_uniform(p.value.values(), key, -bound, bound);
}

}  // namespace

template <class T>
T1<T>::T1(const T1Options& options, RandomKey key)
    : options_(validated(options)),
      spectrum_(options.transform, options.grid, options.modes, options.keep_high,
                options.planning),
      width_f_(spectrum_.coefficient_channels(options.width)),
      lift_(options.in_channels + (options.grid_coordinates ? 2 : 0), options.width,
            child_key(key, 1)),
      head0_(width_f_, options.hidden, child_key(key, 2), nn::LinearOptions{1, false}),
      head_activation_(options.activation),
      head1_(options.hidden, spectrum_.coefficient_channels(options.out_channels),
             child_key(key, 3), nn::LinearOptions{1, false}) {
  for (int l = 0; l < options.layers; ++l) {
    layers_.push_back(std::make_unique<T1Block<T>>(width_f_, spectrum_.block(), options.activation,
                                                   child_key(key, 8 + l)));
  }
  if (options.init == T1Init::variance_preserving) initialise_variance_preserving(key);
}

// The variance-preserving initialisation; formulas and derivation in t1_init.cpp:
//   lift     sigma^2 = 1 / Cin', bias 0
//   block l  sigma_C^2 = g_l / (2 width'),  sigma_X^2 = 1 / M0,  sigma_Y^2 = g_l / (2 M1)
//   head     sigma_W1^2 = 1 / width',       sigma_W2^2 = 1 / (kappa(v_L) hidden)
// with g_l from t1_variance_preserving_gains(act, L, rho), rho = X Y / retained dimensions.
template <class T>
void T1<T>::initialise_variance_preserving(RandomKey key) {
  const RandomKey init{key.seed ^ 0x7431'5650ULL, key.stream};
  fill_with_variance(lift_.weight(), child_key(init, 1), 1.0 / lift_.in());
  Kokkos::deep_copy(lift_.bias().value.values(), T(0));

  const double points = static_cast<double>(options_.grid[0]) * options_.grid[1];
  const double rho =
      options_.keep_high ? 1.0 : points / static_cast<double>(spectrum_.retained_dimensions());
  const auto [gains, v_last] =
      t1_variance_preserving_gains(options_.activation, options_.layers, rho);
  const auto block = spectrum_.block();
  for (int l = 0; l < options_.layers; ++l) {
    auto& layer = *layers_[static_cast<std::size_t>(l)];
    const double g = gains[static_cast<std::size_t>(l)];
    fill_with_variance(layer.channel_mix().weight(), child_key(init, 8 + 3 * l),
                       g / (2.0 * width_f_));
    fill_with_variance(layer.mix_x().weight(), child_key(init, 9 + 3 * l), 1.0 / block[0]);
    fill_with_variance(layer.mix_y().weight(), child_key(init, 10 + 3 * l), g / (2.0 * block[1]));
  }
  fill_with_variance(head0_.weight(), child_key(init, 2), 1.0 / width_f_);
  fill_with_variance(head1_.weight(), child_key(init, 3),
                     1.0 / (t1_activation_gain(options_.activation, v_last) * options_.hidden));
}

template <class T>
nlohmann::json T1<T>::config() const {
  return {{"in_channels", options_.in_channels},
          {"out_channels", options_.out_channels},
          {"grid", options_.grid},
          {"modes", options_.modes},
          {"width", options_.width},
          {"hidden", options_.hidden},
          {"layers", options_.layers},
          {"transform", to_string(options_.transform)},
          {"keep_high", options_.keep_high},
          {"grid_coordinates", options_.grid_coordinates},
          {"activation", nn::to_string(options_.activation)},
          {"init", to_string(options_.init)}};
}

template <class T>
std::vector<std::pair<std::string, nn::Module<T>*>> T1<T>::children() {
  std::vector<std::pair<std::string, nn::Module<T>*>> all = {{"lift", &lift_}};
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    all.emplace_back("layers." + std::to_string(l), layers_[l].get());
  }
  all.emplace_back("head.0", &head0_);
  all.emplace_back("head.activation", &head_activation_);
  all.emplace_back("head.1", &head1_);
  return all;
}

template <class T>
nn::Tensor<T> T1<T>::with_coordinates(const nn::Tensor<T>& x) const {
  if (!options_.grid_coordinates) return x;
  const std::int64_t B = x.extent(0);
  const int C = options_.in_channels, X = options_.grid[0], Y = options_.grid[1];
  auto out = nn::Tensor<T>::uninitialized({B, C + 2, X, Y}, "torus::operators::T1 input");
  const T* in = x.data();
  T* o = out.data();
  const std::int64_t plane = static_cast<std::int64_t>(X) * Y;
  // out(b, c) = x(b, c) for c < C, out(b, C)(i, j) = i / X, out(b, C + 1)(i, j) = j / Y
  Kokkos::parallel_for(
      "torus::operators::t1_coordinates",
      Kokkos::RangePolicy<nn::ExecutionSpace>(0, B * (C + 2) * plane),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const std::int64_t p = item % plane;
        const int c = static_cast<int>((item / plane) % (C + 2));
        const std::int64_t b = item / (plane * (C + 2));
        o[item] = c < C    ? in[(b * C + c) * plane + p]
                  : c == C ? static_cast<T>(p / Y) / static_cast<T>(X)
                           : static_cast<T>(p % Y) / static_cast<T>(Y);
      });
  return out;
}

template <class T>
nn::Tensor<T> T1<T>::forward(const nn::Tensor<T>& x) {
  nn::require_shape(x.shape(), {-1, options_.in_channels, options_.grid[0], options_.grid[1]},
                    "operators::T1::forward", "the input field (batch, in_channels, X, Y)");
  return forward_lifted(spectrum_.analyse(lift_.forward(with_coordinates(x))));
}

template <class T>
nn::Tensor<T> T1<T>::forward_lifted(const nn::Tensor<T>& c) {
  nn::require_shape(c.shape(), spectrum_.coefficient_shape(-1, options_.width),
                    "operators::T1::forward_lifted", "the lifted coefficients");
  const auto block = spectrum_.block();

  nn::Tensor<T> h = c;
  if (options_.keep_high) {
    h = nn::Tensor<T>::uninitialized({c.extent(0), width_f_, block[0], block[1]},
                                     "torus::operators::T1 block");
    detail::copy_corner(c, h, block[0], block[1]);
  }
  for (auto& layer : layers_) h = layer->forward(h);
  if (options_.keep_high) {
    // The high modes of u pass through; the block is the layers' output.
    nn::Tensor<T> all = nn::clone(c, "torus::operators::T1 coefficients");
    detail::copy_corner(h, all, block[0], block[1]);
    h = all;
  }
  nn::Tensor<T> y = head1_.forward(head_activation_.forward(head0_.forward(h)));
  if (options_.transform == T1Transform::rfft) y = spectrum_.project(y);
  if (this->training()) ++pending_;
  return y;
}

template <class T>
nn::Tensor<T> T1<T>::backward(const nn::Tensor<T>& grad_y) {
  const nn::Tensor<T> grad_c = backward_lifted(grad_y);
  // synthesise is the adjoint of analyse (t1_spectrum.hpp).
  return backward_input(lift_.backward(spectrum_.synthesise(grad_c)));
}

template <class T>
nn::Tensor<T> T1<T>::backward_lifted(const nn::Tensor<T>& grad_y) {
  this->require_forward(pending_ > 0);
  nn::require_shape(grad_y.shape(), spectrum_.coefficient_shape(-1, options_.out_channels),
                    "operators::T1::backward", "the output gradient");
  --pending_;
  // H is an orthogonal projection: its adjoint is itself.
  nn::Tensor<T> g = options_.transform == T1Transform::rfft ? spectrum_.project(grad_y) : grad_y;
  g = head0_.backward(head_activation_.backward(head1_.backward(g)));

  const auto block = spectrum_.block();
  nn::Tensor<T> grad_c;
  nn::Tensor<T> gh = g;
  if (options_.keep_high) {
    gh = nn::Tensor<T>::uninitialized({g.extent(0), width_f_, block[0], block[1]},
                                      "torus::operators::T1 block gradient");
    detail::copy_corner(g, gh, block[0], block[1]);
  }
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) gh = (*it)->backward(gh);
  if (options_.keep_high) {
    // dc = dy outside the block (the pass-through), the layers' adjoint inside it.
    grad_c = nn::clone(g, "torus::operators::T1 coefficient gradient");
    detail::copy_corner(gh, grad_c, block[0], block[1]);
  } else {
    grad_c = gh;
  }
  return grad_c;
}

template <class T>
nn::Tensor<T> T1<T>::backward_input(const nn::Tensor<T>& grad_in) const {
  if (!options_.grid_coordinates) return grad_in;

  const std::int64_t B = grad_in.extent(0);
  const int C = options_.in_channels, X = options_.grid[0], Y = options_.grid[1];
  auto grad_x = nn::Tensor<T>::uninitialized({B, C, X, Y}, "torus::operators::T1 input gradient");
  const std::int64_t plane = static_cast<std::int64_t>(X) * Y;
  const T* gi = grad_in.data();
  T* gx = grad_x.data();
  // dx(b, c) = d(input)(b, c) for c < C: the coordinates are constants.
  Kokkos::parallel_for(
      "torus::operators::t1_coordinates_adjoint",
      Kokkos::RangePolicy<nn::ExecutionSpace>(0, B * C * plane),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const std::int64_t p = item % plane;
        const std::int64_t bc = item / plane;
        gx[item] = gi[((bc / C) * (C + 2) + bc % C) * plane + p];
      });
  return grad_x;
}

template <class T>
nn::Tensor<T> T1<T>::coefficients(const nn::Tensor<T>& field) {
  nn::require_shape(field.shape(), {-1, options_.out_channels, options_.grid[0], options_.grid[1]},
                    "operators::T1::coefficients", "the target field (batch, out_channels, X, Y)");
  return spectrum_.analyse(field);
}

template <class T>
nn::Tensor<T> T1<T>::to_physical(const nn::Tensor<T>& coeffs, int X, int Y) {
  nn::require_shape(coeffs.shape(), spectrum_.coefficient_shape(-1, options_.out_channels),
                    "operators::T1::to_physical", "the coefficients");
  if (X == options_.grid[0] && Y == options_.grid[1]) return spectrum_.synthesise(coeffs);
  TORUS_REQUIRE(!options_.keep_high,
                "to_physical on a " + std::to_string(X) + " x " + std::to_string(Y) +
                    " grid with keep_high, whose coefficients cover the model's grid exactly",
                "operators::T1::to_physical", "pass the model's grid, or use keep_high = false");
  // TODO(operators): with the rfft and 2 m0 == X0, row -m0 is the Nyquist row on the model's
  // grid (one real cosine) but an unpaired frequency on a finer one, where it would need half its
  // value at +-m0; resampling treats it as unpaired, which scales that cosine by sqrt(2).
  auto& other = resampling_[{X, Y}];
  if (!other) {
    other = std::make_unique<T1Spectrum<T>>(options_.transform, std::array<int, 2>{X, Y},
                                            options_.modes, false, options_.planning);
  }
  // Orthonormal coefficients of one continuous field scale as sqrt(points).
  nn::Tensor<T> scaled = nn::clone(coeffs, "torus::operators::T1 resampled coefficients");
  const T factor = static_cast<T>(std::sqrt(
      static_cast<double>(X) * Y / (static_cast<double>(options_.grid[0]) * options_.grid[1])));
  T* s = scaled.data();
  Kokkos::parallel_for(
      "torus::operators::t1_resample_scale",
      Kokkos::RangePolicy<nn::ExecutionSpace>(0, scaled.size()),
      KOKKOS_LAMBDA(const std::int64_t i) { s[i] *= factor; });
  return other->synthesise(scaled);
}

template <class T>
std::vector<nn::Tensor<T>> T1<T>::activations(const nn::Tensor<T>& x) {
  const bool was_training = this->training();
  this->train(false);
  std::vector<nn::Tensor<T>> out;
  nn::require_shape(x.shape(), {-1, options_.in_channels, options_.grid[0], options_.grid[1]},
                    "operators::T1::activations", "the input field (batch, in_channels, X, Y)");
  const nn::Tensor<T> u = lift_.forward(with_coordinates(x));
  out.push_back(u);
  const nn::Tensor<T> c = spectrum_.analyse(u);
  const auto block = spectrum_.block();
  nn::Tensor<T> h = nn::Tensor<T>::uninitialized({c.extent(0), width_f_, block[0], block[1]},
                                                 "torus::operators::T1 block");
  detail::copy_corner(c, h, block[0], block[1]);
  out.push_back(h);
  for (auto& layer : layers_) {
    h = layer->forward(h);
    out.push_back(h);
  }
  out.push_back(forward(x));
  this->train(was_training);
  return out;
}

template class T1<float>;
template class T1<double>;

}  // namespace torus::operators
