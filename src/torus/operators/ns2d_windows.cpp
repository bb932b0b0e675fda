#include "torus/operators/ns2d_windows.hpp"

#include <algorithm>
#include <filesystem>

#include "torus/core/error.hpp"
#include "torus/core/log.hpp"
#include "torus/io/png.hpp"
#include "torus/operators/rollout.hpp"

namespace torus::operators {

namespace {

using nn::Tensor;

// Samples encoded per pass when a set is transformed once.
constexpr std::int64_t kEncodeChunk = 32;

// out(b, c, i) = in(indices[b], c, i): rows of an in-memory (N, ...) tensor.
Tensor<float> gather_rows(const Tensor<float>& all, const std::vector<std::int64_t>& indices) {
  nn::Shape shape = all.shape();
  shape[0] = static_cast<std::int64_t>(indices.size());
  auto out = Tensor<float>::uninitialized(shape, "torus::operators::WindowSet batch");
  const std::int64_t row = all.size() / all.extent(0);
  Kokkos::View<std::int64_t*, nn::MemorySpace> rows("rows", indices.size());
  auto host_rows = Kokkos::create_mirror_view(rows);
  for (std::size_t b = 0; b < indices.size(); ++b) host_rows(b) = indices[b];
  Kokkos::deep_copy(rows, host_rows);
  const float* in = all.data();
  float* o = out.data();
  Kokkos::parallel_for(
      "torus::operators::gather_rows", Kokkos::RangePolicy<nn::ExecutionSpace>(0, out.size()),
      KOKKOS_LAMBDA(const std::int64_t k) { o[k] = in[rows(k / row) * row + k % row]; });
  return out;
}

// The snapshot `channel` of sample `b` of (B, C, x, y) as doubles on the host, for pictures.
std::vector<double> snapshot_on_host(const Tensor<float>& fields, std::int64_t b, int channel) {
  const std::int64_t nx = fields.extent(2), ny = fields.extent(3), n = nx * ny;
  const std::int64_t offset = (b * fields.extent(1) + channel) * n;
  Kokkos::View<double*, nn::MemorySpace> values("torus::operators picture", n);
  const float* in = fields.data();
  Kokkos::parallel_for(
      "torus::operators::picture_values", Kokkos::RangePolicy<nn::ExecutionSpace>(0, n),
      KOKKOS_LAMBDA(const std::int64_t k) { values(k) = in[offset + k]; });
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), values);
  return std::vector<double>(host.data(), host.data() + n);
}

}  // namespace

WindowSet::WindowSet(const std::string& path, const std::string& dataset, const Ns2dWindow& window,
                     std::int64_t samples, const TrainableOperator& op)
    : op_(&op), window_(window) {
  nn::SampleReaderOptions options;
  options.dataset = dataset;
  options.rank = 4;
  // Opened once to learn the number of stored times, then with the window's selection.
  const std::int64_t stored_times = nn::SampleReader<float>(path, options).sample_shape().at(0);
  window.validate(stored_times, path);
  options.time_start = window.first;
  options.time_count = window.input_steps + window.output_steps;
  options.time_stride = window.stride;
  reader_ = std::make_unique<nn::SampleReader<float>>(path, options);
  TORUS_REQUIRE(samples <= reader_->samples(),
                std::to_string(samples) + " samples asked for but the data set holds " +
                    std::to_string(reader_->samples()),
                path, "ask for at most " + std::to_string(reader_->samples()) + " samples");
  TORUS_REQUIRE(samples >= 0, "a negative sample count", path, "give 0 (all) or more samples");
  size_ = samples > 0 ? samples : reader_->samples();
  const auto& sample = reader_->sample_shape();
  field_shape_ = {sample.at(1), sample.at(2)};

  if (!op.frequency_space) return;
  // Transform once: every window into the operator's coefficients, kept in memory.
  for (std::int64_t first = 0; first < size_; first += kEncodeChunk) {
    std::vector<std::int64_t> chunk;
    for (std::int64_t i = first; i < std::min(size_, first + kEncodeChunk); ++i) {
      chunk.push_back(i);
    }
    const auto coefficients = op.encode(reader_->read(chunk));
    if (encoded_.empty()) {
      nn::Shape shape = coefficients.shape();
      shape[0] = size_;
      encoded_ = Tensor<float>::uninitialized(shape, "torus::operators::WindowSet coefficients");
    }
    const std::int64_t row = coefficients.size() / coefficients.extent(0);
    Kokkos::deep_copy(
        Kokkos::subview(encoded_.values(),
                        std::make_pair(first * row, first * row + coefficients.size())),
        Kokkos::subview(coefficients.values(),
                        std::make_pair(std::int64_t{0}, coefficients.size())));
  }
  log::debug("windows: {} samples of {} transformed once into {}", size_, path,
             nn::shape_text(encoded_.shape()));
}

Tensor<float> WindowSet::fields(const std::vector<std::int64_t>& indices) const {
  for (const auto i : indices) {
    TORUS_REQUIRE(i >= 0 && i < size_,
                  "sample " + std::to_string(i) + " of a set of " + std::to_string(size_),
                  "operators::WindowSet", "ask for samples in [0, size())");
  }
  return reader_->read(indices);
}

Tensor<float> WindowSet::windows(const std::vector<std::int64_t>& indices) const {
  if (!op_->frequency_space) return fields(indices);
  for (const auto i : indices) {
    TORUS_REQUIRE(i >= 0 && i < size_,
                  "sample " + std::to_string(i) + " of a set of " + std::to_string(size_),
                  "operators::WindowSet", "ask for samples in [0, size())");
  }
  return gather_rows(encoded_, indices);
}

double WindowSet::trajectory_error_sum(const Tensor<float>& prediction,
                                       const std::vector<std::int64_t>& indices) const {
  const auto truth = fields(indices);
  if (!op_->frequency_space) return trajectory_relative_l2_sum(prediction, truth);
  const auto predicted_fields =
      op_->decode(prediction, static_cast<int>(field_shape_[0]), static_cast<int>(field_shape_[1]));
  return trajectory_relative_l2_sum(predicted_fields, truth);
}

std::unique_ptr<WindowSet> open_windows(const std::string& path, const std::string& dataset,
                                        const Ns2dWindow& window, std::int64_t samples,
                                        const TrainableOperator& op) {
  return std::make_unique<WindowSet>(path, dataset, window, samples, op);
}

std::vector<std::string> write_prediction_pictures(TrainableOperator& op, const WindowSet& set,
                                                   const std::string& folder, std::int64_t count,
                                                   MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::vector<std::string> paths;
  std::string failure;
  if (rank == 0 && count > 0) {
    try {
      std::filesystem::create_directories(folder);
      std::vector<std::int64_t> indices;
      for (std::int64_t i = 0; i < count; ++i) indices.push_back(i);
      const auto& w = set.window();
      const auto result = rollout(*op.step, set.windows(indices), w.input_steps, false, count);
      const int nx = static_cast<int>(set.field_shape()[0]);
      const int ny = static_cast<int>(set.field_shape()[1]);
      const auto predicted =
          op.frequency_space ? op.decode(result.prediction, nx, ny) : result.prediction;
      const auto truth = set.fields(indices);
      const int last_input = w.input_steps - 1, last = w.input_steps + w.output_steps - 1;
      for (std::int64_t b = 0; b < count; ++b) {
        const auto input = snapshot_on_host(truth, b, last_input);
        const auto exact = snapshot_on_host(truth, b, last);
        const auto guess = snapshot_on_host(predicted, b, w.output_steps - 1);
        std::vector<double> error(exact.size());
        for (std::size_t k = 0; k < exact.size(); ++k) error[k] = guess[k] - exact[k];
        // Truth and prediction share one colour scale so they can be compared by eye.
        io::FieldPictureOptions shared;
        for (const double v : exact) shared.limit = std::max(shared.limit, std::abs(v));
        const std::string stem = folder + "/sample-" + std::to_string(b) + "-";
        const std::pair<const char*, const std::vector<double>*> pictures[] = {
            {"input", &input}, {"truth", &exact}, {"prediction", &guess}, {"error", &error}};
        for (const auto& [name, values] : pictures) {
          const std::string path = stem + name + ".png";
          const bool same_scale = values == &exact || values == &guess;
          io::write_field_png(path, values->data(), nx, ny,
                              same_scale ? shared : io::FieldPictureOptions{});
          paths.push_back(path);
        }
      }
    } catch (const Error& e) {
      failure = e.what();
    }
  }
  int failed = failure.empty() ? 0 : 1;
  MPI_Bcast(&failed, 1, MPI_INT, 0, comm);
  TORUS_REQUIRE(!failed, "writing the pictures failed" + (failure.empty() ? "" : ": " + failure),
                folder, "check the folder and the data set");
  return paths;
}

}  // namespace torus::operators
