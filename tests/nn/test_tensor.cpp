// Tensor: shapes, C order through as<R>(), reshaping that shares data, clone that does not, and
// the errors for negative extents, wrong ranks, wrong sizes and mismatched shapes.
#include <gtest/gtest.h>

#include "nn/support.hpp"
#include "torus/nn/tensor.hpp"

namespace torus::nn {
namespace {

using testing::host;

TEST(Tensor, ShapeSizeAndExtents) {
  Tensor<double> x({2, 3, 4, 5});
  EXPECT_EQ(x.rank(), 4);
  EXPECT_EQ(x.size(), 120);
  EXPECT_EQ(x.extent(0), 2);
  EXPECT_EQ(x.extent(3), 5);
  EXPECT_EQ(x.extent(-1), 5);
  EXPECT_EQ(x.extent(-4), 2);
  EXPECT_FALSE(x.empty());
  for (const auto v : host(x)) EXPECT_EQ(v, 0.0);  // zero-filled

  Tensor<float> none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.rank(), 0);
}

TEST(Tensor, ShapeText) {
  EXPECT_EQ(shape_text({20, 3, 64, 64}), "(20, 3, 64, 64)");
  EXPECT_EQ(shape_text({7}), "(7,)");
  EXPECT_EQ(shape_text({}), "()");
  EXPECT_EQ(shape_size({2, 0, 3}), 0);
  EXPECT_EQ(shape_size({}), 1);
}

TEST(Tensor, RankedViewIsCOrder) {
  Tensor<double> x({2, 3, 4});
  auto x3 = x.as<3>();
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 3; ++j) {
      for (int k = 0; k < 4; ++k) x3(i, j, k) = 100 * i + 10 * j + k;
    }
  }
  const auto flat = host(x);
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 3; ++j) {
      for (int k = 0; k < 4; ++k) EXPECT_EQ(flat[(i * 3 + j) * 4 + k], 100 * i + 10 * j + k);
    }
  }
}

TEST(Tensor, WrongRankThrows) {
  Tensor<float> x({2, 3});
  EXPECT_THROW(x.as<3>(), Error);
  EXPECT_THROW(x.as<1>(), Error);
  EXPECT_NO_THROW(x.as<2>());
}

TEST(Tensor, ReshapedSharesDataCloneCopies) {
  auto x = testing::random_tensor<double>({2, 3, 4}, 7);
  auto y = x.reshaped({6, 4});
  EXPECT_EQ(y.shape(), (Shape{6, 4}));
  EXPECT_EQ(y.data(), x.data());
  y.as<2>()(5, 3) = 42.0;
  EXPECT_EQ(x.as<3>()(1, 2, 3), 42.0);

  auto z = clone(x);
  EXPECT_NE(z.data(), x.data());
  EXPECT_EQ(host(z), host(x));
  z.as<3>()(0, 0, 0) = -1.0;
  EXPECT_NE(x.as<3>()(0, 0, 0), -1.0);
}

TEST(Tensor, BadShapesThrow) {
  EXPECT_THROW(Tensor<double>({2, -1}), Error);
  EXPECT_THROW(shape_size({3, -2}), Error);
  Tensor<double> x({2, 3});
  EXPECT_THROW(x.reshaped({5}), Error);
  EXPECT_THROW(x.reshaped({2, 2}), Error);
  EXPECT_NO_THROW(x.reshaped({3, 2}));
  // A View too short for the shape.
  Tensor<double>::View short_view("short", 5);
  EXPECT_THROW(Tensor<double>({2, 3}, short_view), Error);
  EXPECT_NO_THROW(Tensor<double>({5}, short_view));
}

TEST(Tensor, RequireShape) {
  EXPECT_NO_THROW(require_shape({2, 3, 4}, {2, 3, 4}, "test", "x"));
  EXPECT_NO_THROW(require_shape({2, 3, 4}, {-1, 3, -1}, "test", "x"));
  EXPECT_THROW(require_shape({2, 3, 4}, {2, 3}, "test", "x"), Error);
  EXPECT_THROW(require_shape({2, 3, 4}, {2, 4, 4}, "test", "x"), Error);
  try {
    require_shape({2, 3}, {-1, 4}, "nn::Thing", "the input");
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("(2, 3)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(any, 4)"), std::string::npos) << e.what();
    EXPECT_EQ(e.input(), "nn::Thing");
  }
}

}  // namespace
}  // namespace torus::nn
