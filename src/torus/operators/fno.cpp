#include "torus/operators/fno.hpp"

#include <string>

#include "torus/core/error.hpp"

namespace torus::operators {

namespace {

using nn::ExecutionSpace;

// The key of child number `index` of a model seeded with `key`: its own stream of the seed.
RandomKey child_key(RandomKey key, std::uint64_t index) {
  return RandomKey{key.seed, torus::detail::mix64(key.stream + 1) + index};
}

// a += b elementwise (the sum of a block's spectral and pointwise branches, or their
// gradients).
template <class T>
void add_into(const nn::Tensor<T>& a, const nn::Tensor<T>& b) {
  T* x = a.data();
  const T* y = b.data();
  Kokkos::parallel_for(
      "torus::operators::FNO2d::add", Kokkos::RangePolicy<ExecutionSpace>(0, a.size()),
      KOKKOS_LAMBDA(const std::int64_t q) { x[q] += y[q]; });
}

// dx(b, c, s) = g(b, c, s) for c < channels: the gradient of the input channels, dropping the
// grid channels' (g has channels + 2).
template <class T>
nn::Tensor<T> drop_grid_channels(const nn::Tensor<T>& g, int channels) {
  nn::Shape shape = g.shape();
  shape[1] = channels;
  auto dx = nn::Tensor<T>::uninitialized(shape, "torus::operators::FNO2d input gradient");
  const std::int64_t field = shape[2] * shape[3];
  const std::int64_t per_sample = static_cast<std::int64_t>(channels) * field;
  const T* from = g.data();
  T* to = dx.data();
  Kokkos::parallel_for(
      "torus::operators::FNO2d::drop_grid_channels",
      Kokkos::RangePolicy<ExecutionSpace>(0, dx.size()), KOKKOS_LAMBDA(const std::int64_t q) {
        const std::int64_t b = q / per_sample;
        to[q] = from[q + b * 2 * field];
      });
  return dx;
}

}  // namespace

template <class T>
nn::Tensor<T> append_grid_channels(const nn::Tensor<T>& x) {
  TORUS_REQUIRE(
      x.rank() == 4,
      "the input of shape " + nn::shape_text(x.shape()) + " is not (batch, channels, x, y)",
      "FNO2d input", "pass 2-D fields shaped (batch, channels, x, y)");
  const std::int64_t C = x.extent(1);
  const std::int64_t X = x.extent(2);
  const std::int64_t Y = x.extent(3);
  nn::Shape shape = x.shape();
  shape[1] = C + 2;
  auto xg = nn::Tensor<T>::uninitialized(shape, "torus::operators::FNO2d input with grid");

  // xg(b, c) = x(b, c) for c < C; xg(b, C, i, j) = i / (X - 1); xg(b, C + 1, i, j) = j / (Y - 1).
  const T dx = X > 1 ? T(1) / static_cast<T>(X - 1) : T(0);
  const T dy = Y > 1 ? T(1) / static_cast<T>(Y - 1) : T(0);
  const T* from = x.data();
  T* to = xg.data();
  const std::int64_t field = X * Y;
  Kokkos::parallel_for(
      "torus::operators::append_grid_channels", Kokkos::RangePolicy<ExecutionSpace>(0, xg.size()),
      KOKKOS_LAMBDA(const std::int64_t q) {
        const std::int64_t s = q % field;
        const std::int64_t c = (q / field) % (C + 2);
        const std::int64_t b = q / (field * (C + 2));
        if (c < C) {
          to[q] = from[(b * C + c) * field + s];
        } else if (c == C) {
          to[q] = static_cast<T>(s / Y) * dx;
        } else {
          to[q] = static_cast<T>(s % Y) * dy;
        }
      });
  return xg;
}

template <class T>
FNO2d<T>::FNO2d(FNO2dOptions options, RandomKey key) : options_(options) {
  const auto& o = options;
  TORUS_REQUIRE(o.modes1 >= 1 && o.modes2 >= 1 && o.width >= 1 && o.layers >= 1 &&
                    o.in_channels >= 1 && o.out_channels >= 1 && o.projection >= 1,
                "FNO2d options modes " + std::to_string(o.modes1) + "x" + std::to_string(o.modes2) +
                    ", width " + std::to_string(o.width) + ", " + std::to_string(o.layers) +
                    " layers, channels " + std::to_string(o.in_channels) + " -> " +
                    std::to_string(o.out_channels) + ", projection " + std::to_string(o.projection),
                "FNO2dOptions", "give every option a value of at least 1");
  std::uint64_t child = 0;
  lift_ = std::make_unique<nn::Linear<T>>(o.in_channels + 2, o.width, child_key(key, child++));
  for (int l = 0; l < o.layers; ++l) {
    spectral_.push_back(std::make_unique<SpectralConv<T, 2>>(
        o.width, o.width, std::array<int, 2>{o.modes1, o.modes2}, child_key(key, child++),
        SpectralConvOptions{o.planning}));
    pointwise_.push_back(
        std::make_unique<nn::Linear<T>>(o.width, o.width, child_key(key, child++)));
    if (l + 1 < o.layers) {
      gelu_.push_back(std::make_unique<nn::Activation<T>>(nn::ActivationKind::gelu));
    }
  }
  project_ = std::make_unique<nn::Linear<T>>(o.width, o.projection, child_key(key, child++));
  project_gelu_ = std::make_unique<nn::Activation<T>>(nn::ActivationKind::gelu);
  output_ = std::make_unique<nn::Linear<T>>(o.projection, o.out_channels, child_key(key, child++));
}

template <class T>
nlohmann::json FNO2d<T>::config() const {
  const auto& o = options_;
  return {
      {"modes1", o.modes1},        {"modes2", o.modes2},           {"width", o.width},
      {"layers", o.layers},        {"in_channels", o.in_channels}, {"out_channels", o.out_channels},
      {"projection", o.projection}};
}

template <class T>
std::vector<std::pair<std::string, nn::Module<T>*>> FNO2d<T>::children() {
  std::vector<std::pair<std::string, nn::Module<T>*>> all = {{"lift", lift_.get()}};
  for (std::size_t l = 0; l < spectral_.size(); ++l) {
    const std::string block = "blocks." + std::to_string(l) + ".";
    all.emplace_back(block + "spectral", spectral_[l].get());
    all.emplace_back(block + "pointwise", pointwise_[l].get());
    if (l < gelu_.size()) all.emplace_back(block + "gelu", gelu_[l].get());
  }
  all.emplace_back("project", project_.get());
  all.emplace_back("project_gelu", project_gelu_.get());
  all.emplace_back("output", output_.get());
  return all;
}

template <class T>
nn::Tensor<T> FNO2d<T>::forward(const nn::Tensor<T>& x) {
  const auto xg = append_grid_channels(x);
  TORUS_REQUIRE(x.extent(1) == options_.in_channels,
                "the input of shape " + nn::shape_text(x.shape()) + " has " +
                    std::to_string(x.extent(1)) + " channels but the model takes " +
                    std::to_string(options_.in_channels),
                "FNO2d::forward",
                "pass fields with in_channels = " + std::to_string(options_.in_channels) +
                    " channels (the grid channels are appended by the model)");
  nn::Tensor<T> h = lift_->forward(xg);
  for (std::size_t l = 0; l < spectral_.size(); ++l) {
    // h <- GELU(K_l h + W_l h), without the GELU after the last block.
    nn::Tensor<T> s = spectral_[l]->forward(h);
    add_into(s, pointwise_[l]->forward(h));
    h = l < gelu_.size() ? gelu_[l]->forward(s) : s;
  }
  nn::Tensor<T> y = output_->forward(project_gelu_->forward(project_->forward(h)));
  if (this->training()) inputs_.push_back(x.shape());
  return y;
}

template <class T>
nn::Tensor<T> FNO2d<T>::backward(const nn::Tensor<T>& grad_y) {
  this->require_forward(!inputs_.empty());
  inputs_.pop_back();
  nn::Tensor<T> g = project_->backward(project_gelu_->backward(output_->backward(grad_y)));
  for (std::size_t l = spectral_.size(); l-- > 0;) {
    // dh_l = K_l^T ds + W_l^T ds with ds = GELU'(s) dh_{l+1} (ds = dh_L after the last block).
    if (l < gelu_.size()) g = gelu_[l]->backward(g);
    nn::Tensor<T> dh = spectral_[l]->backward(g);
    add_into(dh, pointwise_[l]->backward(g));
    g = dh;
  }
  return drop_grid_channels(lift_->backward(g), options_.in_channels);
}

template nn::Tensor<float> append_grid_channels<float>(const nn::Tensor<float>&);
template nn::Tensor<double> append_grid_channels<double>(const nn::Tensor<double>&);
template class FNO2d<float>;
template class FNO2d<double>;

}  // namespace torus::operators
