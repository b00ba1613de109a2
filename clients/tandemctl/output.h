// How tandemctl shows answers: aligned tables and "key: value" blocks for
// people, JSON (protobuf's JSON mapping, proto field names) for scripts.
#ifndef TANDEM_CLIENTS_TANDEMCTL_OUTPUT_H_
#define TANDEM_CLIENTS_TANDEMCTL_OUTPUT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace tandem::cli {

// Display width of UTF-8 text: one column per code point (no wide glyphs).
size_t DisplayWidth(absl::string_view text);

// A table with a header row. Columns are left-aligned and separated by two
// spaces; the last column is not padded, so no line has trailing blanks.
//
//   Table t({"ID", "NAME"});
//   t.AddRow({"th-1", "J. Rao"});
//   std::cout << t.Render();   // "ID    NAME\nth-1  J. Rao\n"
class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  // Adds a row; missing cells are empty, extra cells are dropped.
  void AddRow(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }

  // The header and the rows, one line each. With no rows: "(none)\n".
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "key: value" lines with the values aligned; empty values are skipped.
using Fields = std::vector<std::pair<std::string, std::string>>;
std::string RenderFields(const Fields& fields);

// The message as JSON: proto field names, enums as names, indented, with a
// trailing newline.
std::string ToJson(const google::protobuf::Message& message);

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_OUTPUT_H_
