#include "clients/tandemctl/output.h"

#include "gtest/gtest.h"
#include "tandem/common/v1/types.pb.h"

namespace tandem::cli {
namespace {

TEST(Table, AlignsColumnsWithoutTrailingBlanks) {
  Table t({"ID", "NAME", "ACTIVE"});
  t.AddRow({"th-1", "J. Rao", "yes"});
  t.AddRow({"th-10", "M.", ""});
  EXPECT_EQ(t.Render(),
            "ID     NAME    ACTIVE\n"
            "th-1   J. Rao  yes\n"
            "th-10  M.\n");
}

TEST(Table, CountsUtf8CodePointsNotBytes) {
  Table t({"NAME", "X"});
  t.AddRow({"Zoë", "1"});
  t.AddRow({"Ann", "2"});
  EXPECT_EQ(t.Render(), "NAME  X\nZoë   1\nAnn   2\n");
}

TEST(Table, PadsShortRowsAndSaysNoneWhenEmpty) {
  Table t({"A", "B"});
  EXPECT_EQ(t.Render(), "(none)\n");
  t.AddRow({"x"});
  EXPECT_EQ(t.Render(), "A  B\nx\n");
}

TEST(RenderFields, AlignsValuesAndSkipsEmptyOnes) {
  EXPECT_EQ(RenderFields({{"id", "th-1"}, {"languages", "en"}, {"x", ""}}),
            "id:        th-1\nlanguages: en\n");
}

TEST(ToJson, UsesProtoFieldNames) {
  tandem::common::v1::DateRange range;
  range.mutable_start_date()->set_year(2026);
  const std::string json = ToJson(range);
  EXPECT_NE(json.find("\"start_date\""), std::string::npos) << json;
  EXPECT_EQ(json.back(), '\n');
}

}  // namespace
}  // namespace tandem::cli
