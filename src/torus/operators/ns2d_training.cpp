#include "torus/operators/ns2d_training.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "torus/core/collective_error.hpp"
#include "torus/core/error.hpp"
#include "torus/core/log.hpp"
#include "torus/core/progress.hpp"
#include "torus/core/timer.hpp"
#include "torus/nn/architecture.hpp"
#include "torus/nn/batch_sampler.hpp"
#include "torus/nn/checkpoint.hpp"
#include "torus/nn/clip.hpp"
#include "torus/nn/data_loader.hpp"
#include "torus/nn/data_parallel.hpp"
#include "torus/nn/ema.hpp"
#include "torus/nn/optimizer.hpp"
#include "torus/nn/sample_reader.hpp"
#include "torus/nn/schedule.hpp"
#include "torus/operators/ns2d_windows.hpp"
#include "torus/operators/operator_factory.hpp"
#include "torus/operators/rollout.hpp"

namespace torus::operators {

std::vector<std::int64_t> Ns2dWindow::times() const {
  std::vector<std::int64_t> t;
  for (int k = 0; k < input_steps + output_steps; ++k)
    t.push_back(first + std::int64_t{k} * stride);
  return t;
}

void Ns2dWindow::validate(std::int64_t time_count, const std::string& data) const {
  TORUS_REQUIRE(input_steps >= 1 && output_steps >= 1 && first >= 0 && stride >= 1,
                "a window of " + std::to_string(input_steps) + " input and " +
                    std::to_string(output_steps) + " output steps from time index " +
                    std::to_string(first) + " with stride " + std::to_string(stride),
                data, "use at least one input and one output step, first >= 0, stride >= 1");
  const auto last = times().back();
  TORUS_REQUIRE(last < time_count,
                "the window needs time index " + std::to_string(last) + " but the data set has " +
                    std::to_string(time_count) + " stored times",
                data, "shorten the window (--output-steps, --stride) or use a longer data set");
}

namespace {

using nn::Tensor;

int rank_of(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank;
}

double sum_over_ranks(double value, MPI_Comm comm) {
  double total = 0.0;
  MPI_Allreduce(&value, &total, 1, MPI_DOUBLE, MPI_SUM, comm);
  return total;
}

nlohmann::json options_json(const Ns2dTrainingOptions& o) {
  return {{"model", o.model},
          {"model_options", o.model_options},
          {"input_steps", o.window.input_steps},
          {"output_steps", o.window.output_steps},
          {"first", o.window.first},
          {"stride", o.window.stride},
          {"train_data", o.train_data},
          {"test_data", o.test_data},
          {"dataset", o.dataset},
          {"train_samples", o.train_samples},
          {"test_samples", o.test_samples},
          {"epochs", o.epochs},
          {"batch", o.batch},
          {"optimizer", o.optimizer},
          {"learning_rate", o.learning_rate},
          {"weight_decay", o.weight_decay},
          {"schedule", o.schedule},
          {"step_size", o.step_size},
          {"gamma", o.gamma},
          {"clip_norm", o.clip_norm},
          {"ema_decay", o.ema_decay},
          {"seed", o.seed}};
}

nlohmann::json record_json(const Ns2dEpochRecord& r) {
  return {{"epoch", r.epoch},           {"train_loss", r.train_loss},
          {"test_error", r.test_error}, {"learning_rate", r.learning_rate},
          {"seconds", r.seconds},       {"total_seconds", r.total_seconds}};
}

Ns2dEpochRecord record_of(const nlohmann::json& j) {
  Ns2dEpochRecord r;
  r.epoch = j.at("epoch").get<int>();
  r.train_loss = j.at("train_loss").get<double>();
  r.test_error = j.at("test_error").get<double>();
  r.learning_rate = j.at("learning_rate").get<double>();
  r.seconds = j.at("seconds").get<double>();
  r.total_seconds = j.at("total_seconds").get<double>();
  return r;
}

// log.csv, rewritten whole under a temporary name and renamed, so a crash leaves the old log.
void write_log(const std::string& path, const std::vector<Ns2dEpochRecord>& records) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    TORUS_REQUIRE(out.good(), "cannot write the training log", temporary,
                  "check that the output folder is writable");
    out << "epoch,train_loss,test_relative_l2,learning_rate,epoch_seconds,total_seconds\n";
    char line[256];
    for (const auto& r : records) {
      std::snprintf(line, sizeof(line), "%d,%.9g,%.9g,%.9g,%.6g,%.6g\n", r.epoch, r.train_loss,
                    r.test_error, r.learning_rate, r.seconds, r.total_seconds);
      out << line;
    }
    out.flush();
    TORUS_REQUIRE(out.good(), "writing the training log failed", temporary,
                  "check the free space of the output folder");
  }
  std::filesystem::rename(temporary, path);
}

// (x, y) of the fields of a data set.
std::array<int, 2> field_grid(const std::string& path, const std::string& dataset) {
  nn::SampleReaderOptions o;
  o.dataset = dataset;
  o.rank = 4;
  const auto shape = nn::SampleReader<float>(path, o).sample_shape();
  return {static_cast<int>(shape.at(1)), static_cast<int>(shape.at(2))};
}

std::unique_ptr<nn::Optimizer<float>> make_optimizer(const Ns2dTrainingOptions& o,
                                                     const nn::NamedParameters<float>& named) {
  if (o.optimizer == "adam") {
    nn::AdamOptions a;
    a.lr = o.learning_rate;
    a.weight_decay = o.weight_decay;
    return std::make_unique<nn::Adam<float>>(named, a);
  }
  if (o.optimizer == "adamw") {
    nn::AdamWOptions a;
    a.lr = o.learning_rate;
    a.weight_decay = o.weight_decay;
    return std::make_unique<nn::AdamW<float>>(named, a);
  }
  TORUS_THROW("unknown optimizer '" + o.optimizer + "'", "--optimizer", "use adam or adamw");
}

// The schedules by name with the trainer's counters: epochs, or optimiser steps (onecycle).
std::unique_ptr<nn::Schedule> make_schedule(const Ns2dTrainingOptions& o,
                                            std::int64_t batches_per_epoch) {
  const double lr = o.learning_rate;
  if (o.schedule == "step") {
    return nn::make_schedule("step", {{"lr", lr}, {"step_size", o.step_size}, {"gamma", o.gamma}});
  }
  if (o.schedule == "cosine") {
    return nn::make_schedule("cosine", {{"lr", lr}, {"t_max", o.epochs}});
  }
  if (o.schedule == "onecycle") {
    return nn::make_schedule("onecycle",
                             {{"max_lr", lr}, {"total_steps", o.epochs * batches_per_epoch}});
  }
  return nn::make_schedule(o.schedule, {{"lr", lr}});
}

// The mean trajectory relative L2 error of `model` over a window set split over the ranks.
double evaluate(TrainableOperator& op, WindowSet& set, int batch, MPI_Comm comm) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  const std::int64_t n = set.size();
  const std::int64_t begin = n * rank / ranks, end = n * (rank + 1) / ranks;
  // Every rank makes as many reads as the largest share needs (ceil(n / ranks) samples), so
  // that the collective reads pair up; a rank whose share is done reads nothing.
  const std::int64_t largest_share = (n + ranks - 1) / ranks;
  const std::int64_t rounds = (largest_share + batch - 1) / batch;
  double sum = 0.0;
  for (std::int64_t round = 0; round < rounds; ++round) {
    const std::int64_t first = begin + round * batch;
    std::vector<std::int64_t> indices;
    for (std::int64_t i = first; i < std::min(end, first + batch); ++i) indices.push_back(i);
    const auto windows = collective(
        comm, [&] { return indices.empty() ? nn::Tensor<float>() : set.windows(indices); });
    if (indices.empty()) continue;
    const auto result = rollout(*op.step, windows, set.window().input_steps, false,
                                static_cast<std::int64_t>(indices.size()));
    sum += set.trajectory_error_sum(result.prediction, indices);
  }
  return sum_over_ranks(sum, comm) / static_cast<double>(n);
}

}  // namespace

Ns2dTrainingReport train_ns2d_operator(const Ns2dTrainingOptions& options, MPI_Comm comm) {
  const int rank = rank_of(comm);
  int ranks = 1;
  MPI_Comm_size(comm, &ranks);
  TORUS_REQUIRE(
      options.epochs >= 1 && options.batch >= 1,
      std::to_string(options.epochs) + " epochs of batch " + std::to_string(options.batch),
      "--epochs/--batch", "train at least one epoch with a batch of at least 1");
  TORUS_REQUIRE(options.batch >= ranks,
                "a global batch of " + std::to_string(options.batch) + " over " +
                    std::to_string(ranks) + " ranks leaves ranks without samples",
                "--batch", "use a batch of at least the number of ranks");
  Timer run_timer;

  // The model (T1 is made for the data's grid), then the data its transform needs.
  const auto grid =
      collective(comm, [&] { return field_grid(options.train_data, options.dataset); });
  const auto test_grid =
      collective(comm, [&] { return field_grid(options.test_data, options.dataset); });
  const auto grid_text = [](std::array<int, 2> g) {
    return "(" + std::to_string(g[0]) + ", " + std::to_string(g[1]) + ")";
  };
  TORUS_REQUIRE(
      test_grid == grid,
      "the training fields are " + grid_text(grid) + " but the test fields " + grid_text(test_grid),
      options.test_data, "test on fields of the training resolution");
  // T1's variance-preserving init grows the energy by up to e per application, which a rollout
  // compounds (n_out applications: a loss of 3e19 after one epoch of a 40-step rollout on the
  // fno-1e-3-64 data); rollouts start from PyTorch's init unless told otherwise.
  nlohmann::json model_options = options.model_options;
  if (options.model == "t1" && options.window.output_steps > 1 && !model_options.contains("init")) {
    model_options["init"] = "pytorch";
  }
  TrainableOperator op = make_trainable_operator(
      options.model, model_options, options.window.input_steps, grid, RandomKey{options.seed, 7});
  op.window = options.window;
  auto train_set = collective(comm, [&] {
    return open_windows(options.train_data, options.dataset, options.window, options.train_samples,
                        op);
  });
  auto test_set = collective(comm, [&] {
    return open_windows(options.test_data, options.dataset, options.window, options.test_samples,
                        op);
  });

  auto named = op.model->named_parameters();
  auto parameters = op.model->parameters();
  nn::broadcast_parameters(parameters, comm);
  std::unique_ptr<nn::Optimizer<float>> optimizer = make_optimizer(options, named);
  nn::BatchSamplerOptions sampling;
  sampling.samples = train_set->size();
  sampling.global_batch = options.batch;
  sampling.seed = options.seed;
  sampling.drop_last = false;
  sampling.rank = rank;
  sampling.ranks = ranks;
  nn::BatchSampler sampler(sampling);
  const std::int64_t batches_per_epoch = sampler.batches_per_epoch();
  const bool per_batch = options.schedule == "onecycle";
  auto schedule = make_schedule(options, batches_per_epoch);
  std::unique_ptr<nn::Ema<float>> ema;
  if (options.ema_decay > 0) ema = std::make_unique<nn::Ema<float>>(named, options.ema_decay);

  std::filesystem::create_directories(options.output);
  const std::string checkpoint_path = options.output + "/checkpoint.h5";
  const std::string best_path = options.output + "/best.h5";
  const std::string log_path = options.output + "/log.csv";

  auto state_tensors = [&]() {
    auto state = optimizer->state();
    if (ema) {
      for (auto& entry : ema->state()) state.push_back(entry);
    }
    return state;
  };

  Ns2dTrainingReport report;
  report.best_test_error = std::numeric_limits<double>::infinity();
  int start_epoch = 0;
  double resumed_seconds = 0.0;
  if (options.resume && std::filesystem::exists(checkpoint_path)) {
    const auto info = nn::load_checkpoint(checkpoint_path, *op.model, state_tensors());
    const auto& saved = info.extra.at("options");
    const auto now = options_json(options);
    for (const char* key : {"model", "model_options", "input_steps", "output_steps", "first",
                            "stride", "batch", "seed", "optimizer", "schedule"}) {
      TORUS_REQUIRE(saved.at(key) == now.at(key),
                    std::string("the checkpoint was trained with ") + key + " = " +
                        saved.at(key).dump() + ", this run asks for " + now.at(key).dump(),
                    checkpoint_path, "resume with the options of the interrupted run");
    }
    start_epoch = static_cast<int>(info.epoch);
    optimizer->set_steps(info.step);
    schedule->load_state(info.extra.at("schedule"));
    report.best_test_error = info.extra.at("best_test_error").get<double>();
    for (const auto& r : info.extra.at("records")) report.epochs.push_back(record_of(r));
    if (!report.epochs.empty()) resumed_seconds = report.epochs.back().total_seconds;
    log::info("train: resumed {} from epoch {}", checkpoint_path, start_epoch);
  } else if (options.resume) {
    log::warn("train: --resume given but {} does not exist; starting afresh", checkpoint_path);
  }
  report.first_epoch_run = start_epoch + 1;
  report.checkpoint = checkpoint_path;

  log::info(
      "train: {} ({} parameters) on {} training and {} test samples of {}, {} ranks, "
      "global batch {}, {} epochs",
      nn::describe_architecture(nn::architecture(*op.model)), op.model->parameter_count(),
      train_set->size(), test_set->size(), nn::shape_text(train_set->field_shape()), ranks,
      options.batch, options.epochs);

  for (int epoch = start_epoch + 1; epoch <= options.epochs; ++epoch) {
    Timer epoch_timer;
    // rate(k): the rate after k scheduler steps, one per epoch (per batch for onecycle).
    const double rate = schedule->rate(per_batch ? optimizer->steps() : epoch - 1);
    optimizer->set_learning_rate(rate);
    sampler.seek({epoch - 1, 0});
    double loss_sum = 0.0;
    std::unique_ptr<Progress> progress;
    if (options.progress) {
      progress = std::make_unique<Progress>("epoch " + std::to_string(epoch), batches_per_epoch);
    }
    std::vector<std::int64_t> indices;
    for (;;) {
      const std::int64_t global = sampler.position().batch < batches_per_epoch
                                      ? sampler.global_batch_size(sampler.position().batch)
                                      : 0;
      if (!sampler.next(indices)) break;
      if (per_batch) optimizer->set_learning_rate(schedule->rate(optimizer->steps()));
      op.model->zero_grad();
      // A bad sample may sit in one rank's slice only: every rank must throw, or the others
      // would wait forever in the all-reduce below.
      const auto windows = collective(comm, [&] { return train_set->windows(indices); });
      const auto result = rollout(*op.step, windows, options.window.input_steps, true, global);
      loss_sum += result.loss * static_cast<double>(global);
      nn::allreduce_gradients(parameters, comm, /*average=*/false);
      if (options.clip_norm > 0) nn::clip_grad_norm(parameters, options.clip_norm);
      optimizer->step();
      if (ema) ema->update();
      if (progress) progress->advance(1);
    }
    const double train_loss =
        sum_over_ranks(loss_sum, comm) / static_cast<double>(train_set->size());
    if (progress) progress->finish();

    if (ema) ema->swap();
    const double test_error = evaluate(op, *test_set, options.batch, comm);
    if (options.schedule == "plateau") schedule->observe(test_error);

    Ns2dEpochRecord record;
    record.epoch = epoch;
    record.train_loss = train_loss;
    record.test_error = test_error;
    record.learning_rate = rate;
    record.seconds = epoch_timer.seconds();
    record.total_seconds = resumed_seconds + run_timer.seconds();
    report.epochs.push_back(record);
    log::info("epoch {}: train loss {:.5g}, test relative L2 {:.5g}, lr {:.3g}, {:.1f} s", epoch,
              train_loss, test_error, rate, record.seconds);

    nn::CheckpointState<float> state;
    state.epoch = epoch;
    state.step = optimizer->steps();
    state.rng_seed = options.seed;
    state.optimizer = state_tensors();
    nlohmann::json records = nlohmann::json::array();
    for (const auto& r : report.epochs) records.push_back(record_json(r));
    const bool best = test_error < report.best_test_error;
    if (best) report.best_test_error = test_error;
    state.extra = {{"options", options_json(options)},
                   {"schedule", schedule->state()},
                   {"best_test_error", report.best_test_error},
                   {"records", records}};
    // Checkpoints hold the live weights; with EMA, best.h5 holds the averaged ones it was
    // validated with.
    if (best) nn::save_checkpoint(best_path, *op.model, state, comm);
    if (ema) ema->swap();
    nn::save_checkpoint(checkpoint_path, *op.model, state, comm);
    if (rank == 0) write_log(log_path, report.epochs);
    MPI_Barrier(comm);

    // Rank 0's clock decides, so that every rank leaves after the same epoch.
    int out_of_time = options.time_budget > 0 && run_timer.seconds() > options.time_budget;
    MPI_Bcast(&out_of_time, 1, MPI_INT, 0, comm);
    if (out_of_time != 0) {
      log::info("train: time budget of {} s used after epoch {}", options.time_budget, epoch);
      break;
    }
  }
  return report;
}

Ns2dEvaluation evaluate_ns2d_operator(const Ns2dEvaluationOptions& options, MPI_Comm comm) {
  Timer timer;
  TrainableOperator op =
      collective(comm, [&] { return load_trainable_operator(options.checkpoint); });
  auto set = collective(comm, [&] {
    return open_windows(options.data, options.dataset, op.window, options.samples, op);
  });
  Ns2dEvaluation result;
  result.samples = set->size();
  result.relative_l2 = evaluate(op, *set, std::max(1, options.batch), comm);
  if (!options.png_folder.empty()) {
    result.pictures = write_prediction_pictures(
        op, *set, options.png_folder, std::min<std::int64_t>(options.pictures, set->size()), comm);
  }
  result.seconds = timer.seconds();
  return result;
}

}  // namespace torus::operators
