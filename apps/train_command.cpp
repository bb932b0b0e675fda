// `torus train`: train FNO2d or T1 on a Navier-Stokes data set; `torus eval`: the error of a
// trained model on a data set, with pictures. Parses, calls torus::operators
// (ns2d_training.hpp), reports.
#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "torus/core/error.hpp"
#include "torus/core/log.hpp"
#include "torus/operators/ns2d_training.hpp"

namespace torus::apps {

namespace {

struct TrainArguments {
  operators::Ns2dTrainingOptions options;
  int width = 0;
  int modes = 0;
  int layers = 0;
  std::string transform;
  std::string init;
  bool keep_high = false;
};

// Model options given on the command line override the model's defaults; 0 means "default".
nlohmann::json model_options(const TrainArguments& a) {
  nlohmann::json options = nlohmann::json::object();
  if (a.width > 0) options["width"] = a.width;
  if (a.modes > 0) options["modes"] = a.modes;
  if (a.layers > 0) options["layers"] = a.layers;
  if (!a.transform.empty()) options["transform"] = a.transform;
  if (a.keep_high) options["keep_high"] = true;
  if (!a.init.empty()) options["init"] = a.init;
  return options;
}

int run_train(Runtime& runtime, TrainArguments a) {
  a.options.model_options = model_options(a);
  a.options.progress = true;
  const auto report = operators::train_ns2d_operator(a.options, runtime.comm());
  if (runtime.rank() == 0 && !report.epochs.empty()) {
    const auto& last = report.epochs.back();
    std::printf("%s: %d epochs, train loss %.6g, test relative L2 %.6g (best %.6g), %.1f s\n",
                a.options.model.c_str(), last.epoch, last.train_loss, last.test_error,
                report.best_test_error, last.total_seconds);
    std::printf("checkpoint: %s\n", report.checkpoint.c_str());
  }
  return 0;
}

int run_eval(Runtime& runtime, const operators::Ns2dEvaluationOptions& options) {
  const auto result = operators::evaluate_ns2d_operator(options, runtime.comm());
  if (runtime.rank() == 0) {
    std::printf("relative L2 %.6g over %lld samples (%.2f s)\n", result.relative_l2,
                static_cast<long long>(result.samples), result.seconds);
    for (const auto& picture : result.pictures) std::printf("picture: %s\n", picture.c_str());
  }
  return 0;
}

}  // namespace

Command add_train_command(CLI::App& app) {
  auto a = std::make_shared<TrainArguments>();
  auto& o = a->options;
  auto* command = app.add_subcommand(
      "train",
      "Train a neural operator (FNO2d or Transform-Once T1) on a `torus ns2d generate` data set: "
      "validation every epoch, a CSV log, a checkpoint after every epoch, --resume");
  command->add_option("--model", o.model, "fno or t1")
      ->check(CLI::IsMember({"fno", "t1"}))
      ->capture_default_str();
  command->add_option("--data", o.train_data, "training data set (HDF5, dataset 'vorticity')")
      ->required();
  command->add_option("--test", o.test_data, "test data set, used for validation")->required();
  command->add_option("--train-samples", o.train_samples, "use the first N samples (0: all)")
      ->capture_default_str();
  command->add_option("--test-samples", o.test_samples, "use the first N samples (0: all)")
      ->capture_default_str();
  command->add_option("--input-steps", o.window.input_steps, "snapshots the model reads")
      ->capture_default_str();
  command->add_option("--output-steps", o.window.output_steps, "steps rolled out and scored")
      ->capture_default_str();
  command->add_option("--first", o.window.first, "time index of the first input snapshot")
      ->capture_default_str();
  command->add_option("--stride", o.window.stride, "time indices between snapshots")
      ->capture_default_str();
  command->add_option("--width", a->width, "channels (default: the model's)");
  command->add_option("--modes", a->modes, "retained modes per axis (default: the model's)");
  command->add_option("--layers", a->layers, "layers (default: the model's)");
  command->add_option("--transform", a->transform, "T1's transform: dct or rfft");
  command->add_option("--init", a->init, "T1's initialisation: variance_preserving or pytorch");
  command->add_flag("--keep-high", a->keep_high, "T1: keep the modes above the retained block");
  command->add_option("--epochs", o.epochs, "epochs")->capture_default_str();
  command->add_option("--batch", o.batch, "global batch, split over the ranks")
      ->capture_default_str();
  command->add_option("--optimizer", o.optimizer, "adam or adamw")
      ->check(CLI::IsMember({"adam", "adamw"}))
      ->capture_default_str();
  command->add_option("--lr", o.learning_rate, "learning rate")->capture_default_str();
  command->add_option("--weight-decay", o.weight_decay, "weight decay")->capture_default_str();
  command->add_option("--schedule", o.schedule, "constant, step, cosine, onecycle or plateau")
      ->capture_default_str();
  command->add_option("--step-size", o.step_size, "step schedule: epochs between decays")
      ->capture_default_str();
  command->add_option("--gamma", o.gamma, "step schedule: decay factor")->capture_default_str();
  command->add_option("--clip", o.clip_norm, "clip the gradient norm (0: off)")
      ->capture_default_str();
  command->add_option("--ema", o.ema_decay, "EMA decay of the weights (0: off)")
      ->capture_default_str();
  command->add_option("--seed", o.seed, "random seed (initialisation and shuffling)")
      ->capture_default_str();
  command->add_option("--output", o.output, "folder for checkpoint.h5, best.h5 and log.csv")
      ->capture_default_str();
  command->add_flag("--resume", o.resume, "continue from <output>/checkpoint.h5");
  command->add_option("--time-budget", o.time_budget, "stop after this many seconds (0: none)")
      ->capture_default_str();
  return [a, command](Runtime& runtime) {
    for (const auto& extra : command->remaining()) {
      TORUS_THROW("unknown argument " + extra + " of torus train", extra, "see torus train --help");
    }
    return run_train(runtime, *a);
  };
}

Command add_eval_command(CLI::App& app) {
  auto o = std::make_shared<operators::Ns2dEvaluationOptions>();
  auto* command = app.add_subcommand(
      "eval",
      "Relative L2 error of a trained operator (a `torus train` checkpoint) on a data set, and "
      "PNGs of input, truth, prediction and error for a few samples");
  command->add_option("--checkpoint", o->checkpoint, "checkpoint.h5 or best.h5 of torus train")
      ->required();
  command->add_option("--data", o->data, "data set (HDF5, dataset 'vorticity')")->required();
  command->add_option("--samples", o->samples, "use the first N samples (0: all)")
      ->capture_default_str();
  command->add_option("--batch", o->batch, "samples per evaluation batch")->capture_default_str();
  command->add_option("--png", o->png_folder, "folder for pictures");
  command->add_option("--pictures", o->pictures, "samples drawn")->capture_default_str();
  return [o, command](Runtime& runtime) {
    for (const auto& extra : command->remaining()) {
      TORUS_THROW("unknown argument " + extra + " of torus eval", extra, "see torus eval --help");
    }
    return run_eval(runtime, *o);
  };
}

}  // namespace torus::apps
