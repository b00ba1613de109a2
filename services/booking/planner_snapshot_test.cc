#include <gtest/gtest.h>
TEST(PlannerSnapshotTest, Placeholder) { GTEST_SKIP() << "being written"; }
