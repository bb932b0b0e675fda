// One training step of torus's FNO2d or T1, timed: forward, relative L2 loss, backward, the
// gradient all-reduce over the ranks and an Adam update, on random data, as `torus train` does
// it (T1 in its DCT coefficients through T1CoefficientStep, which is how it trains; the one
// transform of its data is timed separately, per sample). Every rank takes its share of the
// global batch. Prints one JSON line (rank 0): the median step time over --repeats timed steps,
// the per-sample transform time (T1), the peak resident memory of the ranks (max and sum).
//
//   bench_operator_step --model fno|t1 [--n 64] [--batch 20] [--width 32] [--modes 12]
//                       [--layers 4] [--in-channels 10] [--repeats 10] [--warmup 2]
#include <mpi.h>
#include <sys/resource.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <vector>

#include "torus/core/runtime.hpp"
#include "torus/core/timer.hpp"
#include "torus/nn/data_parallel.hpp"
#include "torus/nn/loss.hpp"
#include "torus/nn/optimizer.hpp"
#include "torus/operators/operator_factory.hpp"

namespace {

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  torus::Runtime runtime(argc, argv);
  CLI::App app{"One timed training step of FNO2d or T1 (JSON on stdout)"};
  std::string model = "fno";
  int n = 64, batch = 20, width = 32, modes = 12, layers = 4, in_channels = 10;
  int repeats = 10, warmup = 2;
  app.add_option("--model", model)->check(CLI::IsMember({"fno", "t1"}));
  app.add_option("--n", n);
  app.add_option("--batch", batch, "global batch, split over the ranks");
  app.add_option("--width", width);
  app.add_option("--modes", modes);
  app.add_option("--layers", layers);
  app.add_option("--in-channels", in_channels);
  app.add_option("--repeats", repeats);
  app.add_option("--warmup", warmup);
  CLI11_PARSE(app, argc, argv);

  namespace nn = torus::nn;
  const int rank = runtime.rank(), ranks = runtime.size();
  const int local = batch * (rank + 1) / ranks - batch * rank / ranks;
  auto op = torus::operators::make_trainable_operator(
      model, {{"width", width}, {"modes", modes}, {"layers", layers}}, in_channels, {n, n},
      torus::RandomKey{0, 7});
  auto named = op.model->named_parameters();
  auto parameters = op.model->parameters();
  nn::Adam<float> adam(named, nn::AdamOptions{});

  // Inputs and targets as the step module reads them: fields, or T1's coefficients.
  nn::Tensor<float> fields({local, in_channels + 1, n, n}, "fields");
  torus::fill_normal(fields.values(), torus::RandomKey{1, static_cast<std::uint64_t>(rank)});
  torus::Timer transform_timer;
  const auto encoded = op.encode(fields);
  const double transform_seconds = transform_timer.seconds();
  nn::Shape in_shape = encoded.shape(), out_shape = encoded.shape();
  in_shape[1] = in_channels;
  out_shape[1] = 1;
  auto x = nn::Tensor<float>::uninitialized(in_shape, "x");
  auto y = nn::Tensor<float>::uninitialized(out_shape, "y");
  const std::int64_t plane = encoded.size() / (encoded.extent(0) * encoded.extent(1));
  for (std::int64_t b = 0; b < local; ++b) {
    using range = std::pair<std::int64_t, std::int64_t>;
    const std::int64_t src = b * (in_channels + 1) * plane;
    Kokkos::deep_copy(
        Kokkos::subview(x.values(), range(b * in_channels * plane, (b + 1) * in_channels * plane)),
        Kokkos::subview(encoded.values(), range(src, src + in_channels * plane)));
    Kokkos::deep_copy(Kokkos::subview(y.values(), range(b * plane, (b + 1) * plane)),
                      Kokkos::subview(encoded.values(), range(src + in_channels * plane,
                                                              src + (in_channels + 1) * plane)));
  }

  op.step->train(true);
  auto step = [&] {
    op.model->zero_grad();
    const auto prediction = op.step->forward(x);
    const auto loss = nn::relative_l2(prediction, y, batch);
    op.step->backward(loss.grad);
    nn::allreduce_gradients(parameters, runtime.comm(), /*average=*/false);
    adam.step();
  };
  for (int i = 0; i < warmup; ++i) step();
  std::vector<double> seconds;
  for (int i = 0; i < repeats; ++i) {
    MPI_Barrier(runtime.comm());
    torus::Timer timer;
    step();
    Kokkos::fence();
    MPI_Barrier(runtime.comm());
    seconds.push_back(timer.seconds());
  }
  double rss = peak_rss_mib(), rss_max = 0, rss_sum = 0;
  MPI_Allreduce(&rss, &rss_max, 1, MPI_DOUBLE, MPI_MAX, runtime.comm());
  MPI_Allreduce(&rss, &rss_sum, 1, MPI_DOUBLE, MPI_SUM, runtime.comm());
  if (rank == 0) {
    std::printf(
        "{\"impl\": \"torus\", \"model\": \"%s\", \"n\": %d, \"batch\": %d, \"ranks\": %d, "
        "\"width\": %d, \"modes\": %d, \"layers\": %d, \"parameters\": %lld, "
        "\"step_seconds\": %.6g, \"transform_seconds_per_sample\": %.6g, "
        "\"peak_rss_mib\": %.1f, \"peak_rss_mib_all_ranks\": %.1f}\n",
        model.c_str(), n, batch, ranks, width, modes, layers,
        static_cast<long long>(op.model->parameter_count()), torus::median(seconds),
        op.frequency_space ? transform_seconds / local : 0.0, rss_max, rss_sum);
  }
  return 0;
}
