#include "torus/nn/gradient_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

namespace torus::nn {

namespace {

template <class T>
T read_entry(const Tensor<T>& t, std::int64_t i) {
  T value;
  Kokkos::deep_copy(value, Kokkos::subview(t.values(), i));
  return value;
}

template <class T>
void write_entry(const Tensor<T>& t, std::int64_t i, T value) {
  Kokkos::deep_copy(Kokkos::subview(t.values(), i), value);
}

// <r, y> summed in double.
template <class T>
double dot(const Tensor<T>& r, const Tensor<T>& y) {
  const T* a = r.data();
  const T* b = y.data();
  double sum = 0.0;
  Kokkos::parallel_reduce(
      "torus::nn::gradient_check_dot", Kokkos::RangePolicy<ExecutionSpace>(0, y.size()),
      KOKKOS_LAMBDA(const std::int64_t i, double& s) {
        s += static_cast<double>(a[i]) * static_cast<double>(b[i]);
      },
      sum);
  return sum;
}

// The entries to check: all of them, or a random subset that includes the first and last.
std::vector<std::int64_t> pick_entries(std::int64_t n, std::int64_t max_entries,
                                       RandomStream& stream) {
  std::vector<std::int64_t> entries;
  if (max_entries <= 0 || n <= max_entries) {
    for (std::int64_t i = 0; i < n; ++i) entries.push_back(i);
    return entries;
  }
  std::set<std::int64_t> chosen = {0, n - 1};
  while (static_cast<std::int64_t>(chosen.size()) < max_entries) {
    chosen.insert(static_cast<std::int64_t>(stream.below(static_cast<std::uint64_t>(n))));
  }
  return {chosen.begin(), chosen.end()};
}

}  // namespace

template <class T>
GradientCheckReport check_gradients(Module<T>& module, const Tensor<T>& x,
                                    GradientCheckOptions options) {
  module.train(true);
  module.zero_grad();
  const Tensor<T> input = clone(x, "torus::nn::gradient_check input");

  // Analytic: backward(r) after one forward.
  const Tensor<T> y = module.forward(input);
  Tensor<T> r(y.shape(), "torus::nn::gradient_check direction");
  fill_normal(r.values(), RandomKey{options.seed, 1});
  const Tensor<T> grad_x = module.backward(r);

  // L(z) with one entry of `target` set to z; evaluation mode keeps no caches.
  auto loss_at = [&](const Tensor<T>& target, std::int64_t i, T z) {
    const T saved = read_entry(target, i);
    write_entry(target, i, z);
    module.train(false);
    const double value = dot(r, module.forward(input));
    module.train(true);
    write_entry(target, i, saved);
    return value;
  };

  struct Checked {
    std::string name;
    Tensor<T> value;
    Tensor<T> analytic;
  };
  std::vector<Checked> targets = {{"input", input, grad_x}};
  for (auto& [name, p] : module.named_parameters()) targets.push_back({name, p->value, p->grad});

  // The typical gradient size, so entries with a zero gradient compare against it.
  double scale = 0.0;
  std::int64_t count = 0;
  for (const auto& t : targets) {
    const auto n = t.analytic.size();
    if (n == 0) continue;
    scale += std::sqrt(dot(t.analytic, t.analytic) / static_cast<double>(n));
    ++count;
  }
  scale = count ? std::max(scale / static_cast<double>(count), 1e-12) : 1.0;

  GradientCheckReport report;
  RandomStream stream(RandomKey{options.seed, 2});
  for (const auto& t : targets) {
    for (const auto i : pick_entries(t.value.size(), options.max_entries, stream)) {
      const T z = read_entry(t.value, i);
      const T h = static_cast<T>(options.step);
      const double numeric = (loss_at(t.value, i, z + h) - loss_at(t.value, i, z - h)) /
                             static_cast<double>((z + h) - (z - h));
      const double analytic = static_cast<double>(read_entry(t.analytic, i));
      const double error =
          std::abs(analytic - numeric) / std::max({std::abs(analytic), std::abs(numeric), scale});
      ++report.checked;
      if (error > report.worst_error || !std::isfinite(error)) {
        report.worst_error = std::isfinite(error) ? error : INFINITY;
        char text[160];
        std::snprintf(text, sizeof(text), "[%lld]: analytic %.10g, numeric %.10g",
                      static_cast<long long>(i), analytic, numeric);
        report.worst = t.name + text;
      }
    }
  }
  module.zero_grad();
  return report;
}

template GradientCheckReport check_gradients<float>(Module<float>&, const Tensor<float>&,
                                                    GradientCheckOptions);
template GradientCheckReport check_gradients<double>(Module<double>&, const Tensor<double>&,
                                                     GradientCheckOptions);

}  // namespace torus::nn
