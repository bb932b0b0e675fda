// The schedules against PyTorch's formulas written out here, and against the rates PyTorch 1.13
// produced (pasted below with the commands that made them).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/nn/schedule.hpp"

namespace torus::nn {
namespace {

const double kPi = std::acos(-1.0);

// Each list: optimizer.param_groups[0]['lr'] of torch.optim.SGD([p], lr=0.1) at construction
// and after each scheduler.step(), printed with "%.17g" by /usr/bin/python3 (torch 1.13):
//   OneCycleLR(opt, max_lr=0.1, total_steps=20, cycle_momentum=False), 19 steps
const std::vector<double> kTorchOneCycle = {
    0.0040000000000000036, 0.013167184270002533,  0.037167184270002526,  0.066832815729997469,
    0.090832815729997476,  0.10000000000000001,   0.098746400623508743,  0.095048463201347383,
    0.089091617757105002,  0.081174565394976306,  0.071694300179130088,  0.06112620219362893,
    0.050000200000000002,  0.038874197806371073,  0.028306099820869922,  0.018825834605023701,
    0.010908782242895003,  0.0049519367986526289, 0.0012539993764912555, 3.9999999999999998e-07};
//   OneCycleLR(..., three_phase=True, anneal_strategy='linear', pct_start=0.25), 19 steps
const std::vector<double> kTorchOneCycleThreeLinear = {
    0.0040000000000000001, 0.028000000000000001,   0.052000000000000005,   0.076000000000000012,
    0.10000000000000001,   0.076000000000000012,   0.052000000000000005,   0.027999999999999997,
    0.0040000000000000036, 0.0036364000000000001,  0.0032728000000000002,  0.0029092000000000002,
    0.0025456000000000003, 0.0021819999999999999,  0.0018184000000000004,  0.0014548,
    0.0010912000000000001, 0.00072760000000000012, 0.00036400000000000017, 4.0000000000022656e-07};
//   CosineAnnealingLR(opt, T_max=7, eta_min=0.01), 7 steps (its recursive form)
const std::vector<double> kTorchCosine = {
    0.10000000000000001,  0.095543599055608858, 0.083057041083643007, 0.065013442028034149,
    0.044986557971965858, 0.026942958916356993, 0.014456400944391143, 0.01};
//   ReduceLROnPlateau(opt, factor=0.5, patience=2, cooldown=1, min_lr=0.02), fed kMetrics
const std::vector<double> kMetrics = {1.0,  0.9, 0.95, 0.9, 0.92, 0.91, 0.8999, 0.93, 0.94, 0.95,
                                      0.96, 0.5, 0.6,  0.7, 0.8,  0.9,  0.99,   1.0,  1.1};
const std::vector<double> kTorchPlateau = {0.1,   0.1,  0.1,  0.1,   0.1,   0.05,  0.05,
                                           0.05,  0.05, 0.05, 0.025, 0.025, 0.025, 0.025,
                                           0.025, 0.02, 0.02, 0.02,  0.02,  0.02};

TEST(Schedule, StepIsLrTimesGammaToTheFloor) {
  auto s = make_schedule("step", {{"lr", 0.1}, {"step_size", 3}, {"gamma", 0.5}});
  for (int k = 0; k < 12; ++k) EXPECT_DOUBLE_EQ(s->rate(k), 0.1 * std::pow(0.5, k / 3)) << k;
  EXPECT_DOUBLE_EQ(s->rate(5), 0.05);
  EXPECT_DOUBLE_EQ(s->rate(6), 0.025);
}

TEST(Schedule, CosineIsTheClosedFormAndMatchesTorch) {
  CosineSchedule s(0.1, 7, 0.01);
  for (int k = 0; k <= 14; ++k) {
    EXPECT_NEAR(s.rate(k), 0.01 + 0.09 * (1 + std::cos(kPi * k / 7)) / 2, 1e-16) << k;
  }
  for (int k = 0; k <= 7; ++k) EXPECT_NEAR(s.rate(k), kTorchCosine[k], 1e-15) << k;
  EXPECT_DOUBLE_EQ(s.rate(7), 0.01);
}

// OneCycleLR's phases written out: warm-up to max over [0, 0.3 * 20 - 1 = 5], then cosine down
// to max / 25 / 1e4 over [5, 19].
double one_cycle(int k) {
  const double initial = 0.1 / 25, low = initial / 1e4;
  auto cos_anneal = [](double a, double b, double pct) {
    return b + (a - b) / 2 * (std::cos(kPi * pct) + 1);
  };
  if (k <= 5) return cos_anneal(initial, 0.1, k / 5.0);
  return cos_anneal(0.1, low, (k - 5) / 14.0);
}

TEST(Schedule, OneCycleFollowsItsPhasesAndTorch) {
  auto s = make_schedule("onecycle", {{"max_lr", 0.1}, {"total_steps", 20}});
  for (int k = 0; k < 20; ++k) {
    EXPECT_NEAR(s->rate(k), one_cycle(k), 1e-16) << k;
    EXPECT_NEAR(s->rate(k), kTorchOneCycle[k], 1e-16) << k;
  }
  EXPECT_DOUBLE_EQ(s->rate(0), 0.004);
  EXPECT_DOUBLE_EQ(s->rate(5), 0.1);
  EXPECT_NO_THROW(s->rate(20));  // torch allows step total_steps, refuses the one after
  EXPECT_THROW(s->rate(21), Error);
}

TEST(Schedule, OneCycleThreePhaseLinearMatchesTorch) {
  OneCycleOptions o;
  o.max_lr = 0.1;
  o.total_steps = 20;
  o.three_phase = true;
  o.anneal = "linear";
  o.pct_start = 0.25;
  OneCycleSchedule s(o);
  for (int k = 0; k < 20; ++k) EXPECT_NEAR(s.rate(k), kTorchOneCycleThreeLinear[k], 1e-16) << k;
  // Phase ends 4 and 8: linear up 0.004 -> 0.1, back down, then 0.004 -> 4e-7 over [8, 19].
  EXPECT_NEAR(s.rate(2), 0.004 + 0.096 * 0.5, 1e-16);
  EXPECT_NEAR(s.rate(6), 0.1 - 0.096 * 0.5, 1e-16);
  EXPECT_NEAR(s.rate(13), 0.004 + (4e-7 - 0.004) * 5 / 11.0, 1e-16);
}

TEST(Schedule, PlateauReducesAfterPatienceWithCooldownAndFloor) {
  PlateauOptions o;
  o.lr = 0.1;
  o.factor = 0.5;
  o.patience = 2;
  o.cooldown = 1;
  o.min_lr = 0.02;
  PlateauSchedule s(o);
  EXPECT_EQ(s.rate(0), 0.1);
  for (std::size_t e = 0; e < kMetrics.size(); ++e) {
    s.observe(kMetrics[e]);
    EXPECT_DOUBLE_EQ(s.rate(0), kTorchPlateau[e + 1]) << "after epoch " << e;
  }
  // By hand: best 0.9 at epoch 1 (0.9 < 1.0 (1 - 1e-4)); 0.95, 0.9, 0.92 are three bad epochs
  // (0.9 is not below 0.9 (1 - 1e-4)): more than patience 2, so the rate halves after epoch 4.
  EXPECT_EQ(s.plateau_state().best, 0.5);
  EXPECT_EQ(s.plateau_state().last_epoch, static_cast<std::int64_t>(kMetrics.size()));
}

TEST(Schedule, PlateauStateRoundTripsThroughJson) {
  auto a = make_schedule("plateau", {{"lr", 0.1}, {"patience", 1}});
  const auto fresh = a->state();
  EXPECT_TRUE(fresh["best"].is_null());  // +inf before the first epoch
  a->observe(1.0);
  a->observe(2.0);
  auto b = make_schedule("plateau", a->config());
  b->load_state(nlohmann::json::parse(a->state().dump()));
  for (double m : {2.0, 0.5, 0.7, 0.8}) {
    a->observe(m);
    b->observe(m);
    EXPECT_EQ(a->rate(0), b->rate(0));
  }
  EXPECT_EQ(a->state(), b->state());
  EXPECT_LT(a->rate(0), 0.1);
  b->load_state(fresh);
  EXPECT_EQ(b->rate(0), 0.1);
  EXPECT_THROW(a->observe(std::nan("")), Error);
  EXPECT_THROW(a->load_state({{"lr", 0.1}}), Error);
}

TEST(Schedule, MaxModeAndAbsoluteThreshold) {
  PlateauOptions o;
  o.lr = 1.0;
  o.mode = "max";
  o.threshold_mode = "abs";
  o.threshold = 0.1;
  o.patience = 0;
  PlateauSchedule s(o);
  s.observe(0.5);  // best 0.5
  EXPECT_EQ(s.rate(0), 1.0);
  s.observe(0.55);  // not above 0.5 + 0.1: bad epoch, more than patience 0
  EXPECT_DOUBLE_EQ(s.rate(0), 0.1);
  s.observe(0.7);  // better
  EXPECT_DOUBLE_EQ(s.rate(0), 0.1);
}

TEST(Schedule, ByNameWithOptionsFromTheCommandLine) {
  const auto options = parse_schedule_options("t_max=10,eta_min=0.001,lr=0.5");
  EXPECT_EQ(options["t_max"], 10);
  auto s = make_schedule("cosine", options);
  EXPECT_EQ(s->kind(), "cosine");
  EXPECT_DOUBLE_EQ(s->rate(10), 0.001);
  EXPECT_EQ(parse_schedule_options("anneal=linear,three_phase=true")["three_phase"], true);
  auto c = make_schedule("constant");
  EXPECT_EQ(c->rate(123), 1e-3);
  // Every schedule rebuilds from its config.
  for (const auto& name : {"constant", "step", "cosine", "onecycle", "plateau"}) {
    nlohmann::json o = {{"t_max", 5}, {"total_steps", 50}};
    if (std::string(name) != "cosine") o.erase("t_max");
    if (std::string(name) != "onecycle") o.erase("total_steps");
    auto a = make_schedule(name, o);
    auto b = make_schedule(a->kind(), a->config());
    EXPECT_EQ(a->config(), b->config()) << name;
    EXPECT_EQ(a->rate(3), b->rate(3)) << name;
  }
}

TEST(Schedule, BadNamesAndOptionsThrowAndSayWhy) {
  try {
    make_schedule("exponential");
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(e.fix().find("constant, step, cosine, onecycle, plateau"), std::string::npos);
  }
  try {
    make_schedule("cosine", {{"t_max", 4}, {"gama", 0.1}});
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(e.problem().find("gama"), std::string::npos);
    EXPECT_NE(e.fix().find("eta_min"), std::string::npos);
  }
  EXPECT_THROW(make_schedule("cosine"), Error);                          // t_max missing
  EXPECT_THROW(make_schedule("step", {{"step_size", 1.5}}), Error);      // not an integer
  EXPECT_THROW(make_schedule("onecycle", {{"total_steps", 2}}), Error);  // empty warm-up
  EXPECT_THROW(make_schedule("plateau", {{"factor", 1.0}}), Error);
  EXPECT_THROW(make_schedule("plateau", {{"mode", "median"}}), Error);
  EXPECT_THROW(parse_schedule_options("t_max"), Error);
  EXPECT_THROW(StepSchedule(0.1, 1).rate(-1), Error);
}

}  // namespace
}  // namespace torus::nn
