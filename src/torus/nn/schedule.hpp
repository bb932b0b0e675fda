#pragma once
/// \file
/// Learning-rate schedules with the semantics of torch.optim.lr_scheduler (PyTorch 1.13).
///
/// A schedule is a function of a counter: `rate(k)` is the learning rate PyTorch's scheduler
/// holds after k calls of scheduler.step(), i.e. the rate of the optimiser step that follows
/// them. Which counter k is, is the trainer's choice, as in PyTorch: epochs for StepLR and
/// CosineAnnealingLR as usually used, optimiser steps for OneCycleLR. With k the number of
/// optimiser steps taken the loop is
/// \code
/// auto schedule = nn::make_schedule("onecycle", {{"max_lr", 1e-3}, {"total_steps", 10000}});
/// for (...) {
///   opt.set_learning_rate(schedule->rate(opt.steps()));
///   ...; opt.step();
/// }
/// \endcode
/// ReduceLROnPlateau is driven by a metric instead: `observe(metric)` once per epoch, after which
/// `rate(k)` (any k) is its current rate; its state() / load_state() JSON goes into checkpoints.
/// The closed-form schedules are stateless, so resuming only needs the counter.
///
///   constant:  rate(k) = lr
///   step:      rate(k) = lr gamma^floor(k / step_size)                                (StepLR)
///   cosine:    rate(k) = eta_min + (lr - eta_min) (1 + cos(pi k / T_max)) / 2
///              (CosineAnnealingLR's closed form; periodic beyond T_max as that form is)
///   onecycle:  from initial = max_lr / div_factor up to max_lr over the first
///              pct_start total_steps - 1 steps, then down to initial / final_div_factor at
///              step total_steps - 1, by cos or linear annealing (OneCycleLR; three_phase
///              returns to initial before the final descent). Momentum is not cycled: this
///              is OneCycleLR(cycle_momentum=False).
///   plateau:   ReduceLROnPlateau: rate <- max(rate factor, min_lr) after more than `patience`
///              epochs without relative (or absolute) improvement by `threshold`, then
///              `cooldown` epochs of rest.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace torus::nn {

/// A learning-rate schedule; see the file comment for the meaning of the counter.
class Schedule {
 public:
  virtual ~Schedule() = default;

  /// "constant", "step", "cosine", "onecycle" or "plateau" (the names of make_schedule).
  virtual std::string kind() const = 0;

  /// The learning rate after `k` scheduler steps; throws torus::Error for k < 0 (and for
  /// onecycle, k > total_steps, as PyTorch does).
  virtual double rate(std::int64_t k) const = 0;

  /// Feeds the validation metric of an epoch to a metric-driven schedule (plateau); the
  /// closed-form schedules ignore it. Throws torus::Error for a NaN metric.
  virtual void observe(double metric) { (void)metric; }

  /// The options that rebuild this schedule: make_schedule(kind(), config()) is equal to it.
  virtual nlohmann::json config() const = 0;

  /// What changes during training (empty for the closed forms), for checkpoints.
  virtual nlohmann::json state() const { return nlohmann::json::object(); }
  /// Restores state() from a checkpoint; throws torus::Error when keys are missing.
  virtual void load_state(const nlohmann::json& state) { (void)state; }
};

/// rate(k) = lr.
class ConstantSchedule : public Schedule {
 public:
  /// Throws torus::Error for lr < 0.
  explicit ConstantSchedule(double lr);
  std::string kind() const override { return "constant"; }
  double rate(std::int64_t k) const override;
  nlohmann::json config() const override { return {{"lr", lr_}}; }

 private:
  double lr_;
};

/// StepLR: rate(k) = lr gamma^floor(k / step_size).
class StepSchedule : public Schedule {
 public:
  /// Throws torus::Error for lr < 0, step_size < 1 or gamma < 0.
  StepSchedule(double lr, std::int64_t step_size, double gamma = 0.1);
  std::string kind() const override { return "step"; }
  double rate(std::int64_t k) const override;
  nlohmann::json config() const override;

 private:
  double lr_;
  std::int64_t step_size_;
  double gamma_;
};

/// CosineAnnealingLR (closed form): rate(k) = eta_min + (lr - eta_min)(1 + cos(pi k/T_max))/2.
class CosineSchedule : public Schedule {
 public:
  /// Throws torus::Error for lr < 0, t_max < 1 or eta_min < 0.
  CosineSchedule(double lr, std::int64_t t_max, double eta_min = 0);
  std::string kind() const override { return "cosine"; }
  double rate(std::int64_t k) const override;
  nlohmann::json config() const override;

 private:
  double lr_;
  std::int64_t t_max_;
  double eta_min_;
};

/// Options of OneCycleLR, with PyTorch's defaults.
struct OneCycleOptions {
  double max_lr = 0;
  std::int64_t total_steps = 0;
  double pct_start = 0.3;
  /// "cos" or "linear".
  std::string anneal = "cos";
  double div_factor = 25;
  double final_div_factor = 1e4;
  bool three_phase = false;
};

/// OneCycleLR without momentum cycling; see the file comment.
class OneCycleSchedule : public Schedule {
 public:
  /// Throws torus::Error for max_lr <= 0, total_steps < 1, pct_start outside [0, 1], an
  /// anneal other than cos/linear, div factors <= 0, or a phase without steps.
  explicit OneCycleSchedule(const OneCycleOptions& options);
  std::string kind() const override { return "onecycle"; }
  double rate(std::int64_t k) const override;
  nlohmann::json config() const override;

 private:
  struct Phase {
    double end_step;
    double start_lr;
    double end_lr;
  };
  OneCycleOptions options_;
  Phase phases_[3];
  int phase_count_;
};

/// Options of ReduceLROnPlateau, with PyTorch's defaults.
struct PlateauOptions {
  /// The initial learning rate.
  double lr = 1e-3;
  /// "min" (a loss) or "max" (an accuracy).
  std::string mode = "min";
  double factor = 0.1;
  int patience = 10;
  double threshold = 1e-4;
  /// "rel": better means below best (1 - threshold) in min mode; "abs": below best - threshold.
  std::string threshold_mode = "rel";
  int cooldown = 0;
  double min_lr = 0;
  /// Reductions smaller than this are skipped.
  double eps = 1e-8;
};

/// What ReduceLROnPlateau remembers between epochs.
struct PlateauState {
  double lr = 0;
  /// The best metric so far (+inf in min mode, -inf in max mode before the first).
  double best = 0;
  int num_bad_epochs = 0;
  int cooldown_counter = 0;
  std::int64_t last_epoch = 0;
};

/// ReduceLROnPlateau; see the file comment. rate(k) is the current rate whatever k is.
class PlateauSchedule : public Schedule {
 public:
  /// Throws torus::Error for lr < 0, factor outside [0, 1), negative patience, cooldown,
  /// threshold or min_lr, or an unknown mode or threshold_mode.
  explicit PlateauSchedule(const PlateauOptions& options);
  std::string kind() const override { return "plateau"; }
  double rate(std::int64_t k) const override;
  void observe(double metric) override;
  nlohmann::json config() const override;
  /// {"lr", "best" (null while infinite), "num_bad_epochs", "cooldown_counter", "last_epoch"}.
  nlohmann::json state() const override;
  void load_state(const nlohmann::json& state) override;
  const PlateauState& plateau_state() const { return state_; }

 private:
  bool is_better(double metric) const;
  PlateauOptions options_;
  PlateauState state_;
};

/// The schedule named `name` ("constant|step|cosine|onecycle|plateau") with `options`, an object
/// of the constructor arguments by name: lr; step_size, gamma; t_max, eta_min; max_lr
/// (default: lr), total_steps, pct_start, anneal, div_factor, final_div_factor, three_phase;
/// mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps. Missing options
/// take PyTorch's defaults (lr 1e-3). Throws torus::Error for an unknown name (listing the
/// names), an option the schedule does not take (listing those it takes), a value of the wrong
/// type, or what the constructor refuses.
std::unique_ptr<Schedule> make_schedule(const std::string& name,
                                        const nlohmann::json& options = nlohmann::json::object());

/// Parses command-line options "t_max=100,eta_min=1e-5,anneal=linear" into the object that
/// make_schedule takes: numbers become numbers, true/false booleans, anything else a string.
/// Throws torus::Error for an entry without '='.
nlohmann::json parse_schedule_options(const std::string& text);

}  // namespace torus::nn
