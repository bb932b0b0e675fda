#include "torus/nn/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "torus/core/error.hpp"

namespace torus::nn {

namespace {

constexpr double kPi = 3.14159265358979323846;

void require_counter(std::int64_t k, const std::string& who) {
  TORUS_REQUIRE(k >= 0, "schedule counter " + std::to_string(k), who,
                "pass the number of scheduler steps taken (>= 0)");
}

void require_rate(double lr, const std::string& name, const std::string& who) {
  TORUS_REQUIRE(std::isfinite(lr) && lr >= 0, name + " " + std::to_string(lr), who,
                "give a finite " + name + " >= 0");
}

}  // namespace

// ---- constant, step, cosine --------------------------------------------------------------------

ConstantSchedule::ConstantSchedule(double lr) : lr_(lr) {
  require_rate(lr, "lr", "nn::ConstantSchedule");
}

double ConstantSchedule::rate(std::int64_t k) const {
  require_counter(k, "nn::ConstantSchedule::rate");
  return lr_;
}

StepSchedule::StepSchedule(double lr, std::int64_t step_size, double gamma)
    : lr_(lr), step_size_(step_size), gamma_(gamma) {
  require_rate(lr, "lr", "nn::StepSchedule");
  TORUS_REQUIRE(step_size >= 1, "step_size " + std::to_string(step_size), "nn::StepSchedule",
                "give step_size >= 1");
  TORUS_REQUIRE(std::isfinite(gamma) && gamma >= 0, "gamma " + std::to_string(gamma),
                "nn::StepSchedule", "give gamma >= 0 (0.1 by default)");
}

double StepSchedule::rate(std::int64_t k) const {
  require_counter(k, "nn::StepSchedule::rate");
  return lr_ * std::pow(gamma_, static_cast<double>(k / step_size_));
}

nlohmann::json StepSchedule::config() const {
  return {{"lr", lr_}, {"step_size", step_size_}, {"gamma", gamma_}};
}

CosineSchedule::CosineSchedule(double lr, std::int64_t t_max, double eta_min)
    : lr_(lr), t_max_(t_max), eta_min_(eta_min) {
  require_rate(lr, "lr", "nn::CosineSchedule");
  require_rate(eta_min, "eta_min", "nn::CosineSchedule");
  TORUS_REQUIRE(t_max >= 1, "t_max " + std::to_string(t_max), "nn::CosineSchedule",
                "give t_max >= 1 (the number of counter steps of the half cosine)");
}

double CosineSchedule::rate(std::int64_t k) const {
  require_counter(k, "nn::CosineSchedule::rate");
  const double x = kPi * static_cast<double>(k) / static_cast<double>(t_max_);
  return eta_min_ + (lr_ - eta_min_) * (1 + std::cos(x)) / 2;
}

nlohmann::json CosineSchedule::config() const {
  return {{"lr", lr_}, {"t_max", t_max_}, {"eta_min", eta_min_}};
}

// ---- one cycle ---------------------------------------------------------------------------------

OneCycleSchedule::OneCycleSchedule(const OneCycleOptions& o) : options_(o) {
  const std::string who = "nn::OneCycleSchedule";
  TORUS_REQUIRE(std::isfinite(o.max_lr) && o.max_lr > 0, "max_lr " + std::to_string(o.max_lr), who,
                "give max_lr > 0");
  TORUS_REQUIRE(o.total_steps >= 1, "total_steps " + std::to_string(o.total_steps), who,
                "give the number of optimiser steps of the cycle (>= 1)");
  TORUS_REQUIRE(o.pct_start >= 0 && o.pct_start <= 1, "pct_start " + std::to_string(o.pct_start),
                who, "give pct_start in [0, 1]");
  TORUS_REQUIRE(o.anneal == "cos" || o.anneal == "linear", "anneal '" + o.anneal + "'", who,
                "give anneal 'cos' or 'linear'");
  TORUS_REQUIRE(o.div_factor > 0 && o.final_div_factor > 0,
                "div_factor " + std::to_string(o.div_factor) + ", final_div_factor " +
                    std::to_string(o.final_div_factor),
                who, "give positive division factors");

  // The phases of torch's OneCycleLR, ending at these (real) step numbers.
  const double initial = o.max_lr / o.div_factor;
  const double min_lr = initial / o.final_div_factor;
  const double warm_end = o.pct_start * static_cast<double>(o.total_steps) - 1;
  const double last = static_cast<double>(o.total_steps) - 1;
  if (o.three_phase) {
    phases_[0] = {warm_end, initial, o.max_lr};
    phases_[1] = {2 * o.pct_start * static_cast<double>(o.total_steps) - 2, o.max_lr, initial};
    phases_[2] = {last, initial, min_lr};
    phase_count_ = 3;
  } else {
    phases_[0] = {warm_end, initial, o.max_lr};
    phases_[1] = {last, o.max_lr, min_lr};
    phase_count_ = 2;
  }
  double start = 0;
  for (int i = 0; i < phase_count_; ++i) {
    TORUS_REQUIRE(phases_[i].end_step > start,
                  "phase " + std::to_string(i + 1) + " of the cycle has no steps (pct_start " +
                      std::to_string(o.pct_start) + ", total_steps " +
                      std::to_string(o.total_steps) + ")",
                  who, "raise total_steps or move pct_start away from 0 and 1");
    start = phases_[i].end_step;
  }
}

double OneCycleSchedule::rate(std::int64_t k) const {
  require_counter(k, "nn::OneCycleSchedule::rate");
  TORUS_REQUIRE(k <= options_.total_steps,
                "step " + std::to_string(k) + " is past the cycle of " +
                    std::to_string(options_.total_steps) + " steps",
                "nn::OneCycleSchedule::rate", "raise total_steps to the length of the training");
  // pct is the position within the phase containing k; the last phase also takes k beyond it.
  const double step = static_cast<double>(k);
  double start_step = 0;
  for (int i = 0; i < phase_count_; ++i) {
    const Phase& phase = phases_[i];
    if (step <= phase.end_step || i == phase_count_ - 1) {
      const double pct = (step - start_step) / (phase.end_step - start_step);
      if (options_.anneal == "cos") {
        return phase.end_lr + (phase.start_lr - phase.end_lr) / 2 * (std::cos(kPi * pct) + 1);
      }
      return (phase.end_lr - phase.start_lr) * pct + phase.start_lr;
    }
    start_step = phase.end_step;
  }
  return phases_[phase_count_ - 1].end_lr;  // not reached
}

nlohmann::json OneCycleSchedule::config() const {
  return {{"max_lr", options_.max_lr},          {"total_steps", options_.total_steps},
          {"pct_start", options_.pct_start},    {"anneal", options_.anneal},
          {"div_factor", options_.div_factor},  {"final_div_factor", options_.final_div_factor},
          {"three_phase", options_.three_phase}};
}

// ---- plateau -----------------------------------------------------------------------------------

PlateauSchedule::PlateauSchedule(const PlateauOptions& o) : options_(o) {
  const std::string who = "nn::PlateauSchedule";
  require_rate(o.lr, "lr", who);
  require_rate(o.min_lr, "min_lr", who);
  TORUS_REQUIRE(o.mode == "min" || o.mode == "max", "mode '" + o.mode + "'", who,
                "give mode 'min' (a loss) or 'max' (an accuracy)");
  TORUS_REQUIRE(o.threshold_mode == "rel" || o.threshold_mode == "abs",
                "threshold_mode '" + o.threshold_mode + "'", who, "give 'rel' or 'abs'");
  TORUS_REQUIRE(o.factor >= 0 && o.factor < 1, "factor " + std::to_string(o.factor), who,
                "give a factor in [0, 1)");
  TORUS_REQUIRE(o.patience >= 0 && o.cooldown >= 0 && o.threshold >= 0 && o.eps >= 0,
                "patience " + std::to_string(o.patience) + ", cooldown " +
                    std::to_string(o.cooldown) + ", threshold " + std::to_string(o.threshold) +
                    ", eps " + std::to_string(o.eps),
                who, "give non-negative values");
  state_.lr = o.lr;
  state_.best = (o.mode == "min" ? 1 : -1) * std::numeric_limits<double>::infinity();
}

double PlateauSchedule::rate(std::int64_t k) const {
  require_counter(k, "nn::PlateauSchedule::rate");
  return state_.lr;
}

bool PlateauSchedule::is_better(double a) const {
  const double best = state_.best, t = options_.threshold;
  const bool rel = options_.threshold_mode == "rel";
  if (options_.mode == "min") return rel ? a < best * (1 - t) : a < best - t;
  return rel ? a > best * (1 + t) : a > best + t;
}

void PlateauSchedule::observe(double metric) {
  TORUS_REQUIRE(!std::isnan(metric), "the metric given to the plateau schedule is NaN",
                "nn::PlateauSchedule::observe",
                "check the validation loss (training may have diverged; lower the rate)");
  state_.last_epoch += 1;
  if (is_better(metric)) {
    state_.best = metric;
    state_.num_bad_epochs = 0;
  } else {
    state_.num_bad_epochs += 1;
  }
  if (state_.cooldown_counter > 0) {
    state_.cooldown_counter -= 1;
    state_.num_bad_epochs = 0;
  }
  if (state_.num_bad_epochs > options_.patience) {
    const double reduced = std::max(state_.lr * options_.factor, options_.min_lr);
    if (state_.lr - reduced > options_.eps) state_.lr = reduced;
    state_.cooldown_counter = options_.cooldown;
    state_.num_bad_epochs = 0;
  }
}

nlohmann::json PlateauSchedule::config() const {
  return {{"lr", options_.lr},
          {"mode", options_.mode},
          {"factor", options_.factor},
          {"patience", options_.patience},
          {"threshold", options_.threshold},
          {"threshold_mode", options_.threshold_mode},
          {"cooldown", options_.cooldown},
          {"min_lr", options_.min_lr},
          {"eps", options_.eps}};
}

nlohmann::json PlateauSchedule::state() const {
  nlohmann::json s = {{"lr", state_.lr},
                      {"num_bad_epochs", state_.num_bad_epochs},
                      {"cooldown_counter", state_.cooldown_counter},
                      {"last_epoch", state_.last_epoch}};
  // JSON has no infinity: the best of no epoch yet is written as null.
  s["best"] = std::isfinite(state_.best) ? nlohmann::json(state_.best) : nlohmann::json(nullptr);
  return s;
}

void PlateauSchedule::load_state(const nlohmann::json& s) {
  for (const char* key : {"lr", "best", "num_bad_epochs", "cooldown_counter", "last_epoch"}) {
    TORUS_REQUIRE(s.is_object() && s.contains(key),
                  std::string("the plateau schedule state has no '") + key + "'",
                  "nn::PlateauSchedule::load_state", "pass what state() wrote");
  }
  PlateauState loaded;
  loaded.lr = s["lr"].get<double>();
  loaded.best = s["best"].is_null()
                    ? (options_.mode == "min" ? 1 : -1) * std::numeric_limits<double>::infinity()
                    : s["best"].get<double>();
  loaded.num_bad_epochs = s["num_bad_epochs"].get<int>();
  loaded.cooldown_counter = s["cooldown_counter"].get<int>();
  loaded.last_epoch = s["last_epoch"].get<std::int64_t>();
  state_ = loaded;
}

// ---- by name -----------------------------------------------------------------------------------

namespace {

/// Reads options by name and remembers which were read, so unknown ones can be refused.
class OptionReader {
 public:
  OptionReader(const nlohmann::json& options, std::string schedule)
      : options_(options), schedule_(std::move(schedule)) {
    TORUS_REQUIRE(options.is_object(), "schedule options " + options.dump() + " are not an object",
                  "make_schedule options", "pass an object such as {\"t_max\": 100}");
  }

  template <class V>
  V get(const std::string& key, V fallback) {
    taken_.insert(key);
    if (!options_.contains(key)) return fallback;
    const auto& value = options_[key];
    bool ok = false;
    if constexpr (std::is_same_v<V, bool>) {
      ok = value.is_boolean();
    } else if constexpr (std::is_integral_v<V>) {
      ok = value.is_number_integer();
    } else if constexpr (std::is_floating_point_v<V>) {
      ok = value.is_number();
    } else {
      ok = value.is_string();
    }
    TORUS_REQUIRE(ok, "option '" + key + "' of the " + schedule_ + " schedule is " + value.dump(),
                  "make_schedule options", "give '" + key + "' a value of its type");
    return value.template get<V>();
  }

  /// Throws when an option was given that the schedule does not take.
  void finish() const {
    for (const auto& item : options_.items()) {
      if (taken_.count(item.key())) continue;
      std::string takes;
      for (const auto& key : taken_) takes += (takes.empty() ? "" : ", ") + key;
      TORUS_THROW("the " + schedule_ + " schedule takes no option '" + item.key() + "'",
                  "make_schedule options", "use one of: " + takes);
    }
  }

 private:
  const nlohmann::json& options_;
  std::string schedule_;
  std::set<std::string> taken_;
};

}  // namespace

std::unique_ptr<Schedule> make_schedule(const std::string& name, const nlohmann::json& options) {
  OptionReader read(options, name);
  std::unique_ptr<Schedule> schedule;
  if (name == "constant") {
    schedule = std::make_unique<ConstantSchedule>(read.get("lr", 1e-3));
  } else if (name == "step") {
    const double lr = read.get("lr", 1e-3);
    const auto step_size = read.get<std::int64_t>("step_size", 1);
    schedule = std::make_unique<StepSchedule>(lr, step_size, read.get("gamma", 0.1));
  } else if (name == "cosine") {
    const double lr = read.get("lr", 1e-3);
    const auto t_max = read.get<std::int64_t>("t_max", 0);
    schedule = std::make_unique<CosineSchedule>(lr, t_max, read.get("eta_min", 0.0));
  } else if (name == "onecycle") {
    OneCycleOptions o;
    o.max_lr = read.get("max_lr", read.get("lr", 1e-3));
    o.total_steps = read.get("total_steps", o.total_steps);
    o.pct_start = read.get("pct_start", o.pct_start);
    o.anneal = read.get("anneal", o.anneal);
    o.div_factor = read.get("div_factor", o.div_factor);
    o.final_div_factor = read.get("final_div_factor", o.final_div_factor);
    o.three_phase = read.get("three_phase", o.three_phase);
    schedule = std::make_unique<OneCycleSchedule>(o);
  } else if (name == "plateau") {
    PlateauOptions o;
    o.lr = read.get("lr", o.lr);
    o.mode = read.get("mode", o.mode);
    o.factor = read.get("factor", o.factor);
    o.patience = read.get("patience", o.patience);
    o.threshold = read.get("threshold", o.threshold);
    o.threshold_mode = read.get("threshold_mode", o.threshold_mode);
    o.cooldown = read.get("cooldown", o.cooldown);
    o.min_lr = read.get("min_lr", o.min_lr);
    o.eps = read.get("eps", o.eps);
    schedule = std::make_unique<PlateauSchedule>(o);
  } else {
    TORUS_THROW("unknown learning-rate schedule '" + name + "'", "schedule name",
                "use one of: constant, step, cosine, onecycle, plateau");
  }
  read.finish();
  return schedule;
}

nlohmann::json parse_schedule_options(const std::string& text) {
  nlohmann::json options = nlohmann::json::object();
  std::stringstream entries(text);
  std::string entry;
  while (std::getline(entries, entry, ',')) {
    if (entry.empty()) continue;
    const auto eq = entry.find('=');
    TORUS_REQUIRE(eq != std::string::npos && eq > 0, "schedule option '" + entry + "' has no '='",
                  "schedule options", "write key=value pairs separated by commas: t_max=100");
    const std::string key = entry.substr(0, eq), value = entry.substr(eq + 1);
    // A number if the whole value parses as JSON number, a boolean for true/false.
    const auto parsed = nlohmann::json::parse(value, nullptr, false);
    if (!parsed.is_discarded() && (parsed.is_number() || parsed.is_boolean())) {
      options[key] = parsed;
    } else {
      options[key] = value;
    }
  }
  return options;
}

}  // namespace torus::nn
