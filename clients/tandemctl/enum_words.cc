#include "clients/tandemctl/enum_words.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace tandem::cli {
namespace {

// The value's name without the prefix, lower case, words joined by `sep`.
std::string Stem(const google::protobuf::EnumDescriptor& e,
                 const google::protobuf::EnumValueDescriptor& v,
                 absl::string_view sep) {
  absl::string_view name = v.name();
  absl::ConsumePrefix(&name, EnumPrefix(e));
  std::string words =
      absl::StrReplaceAll(absl::AsciiStrToLower(name), {{"_", sep}});
  // "follow-up" is one word in English.
  return absl::StrReplaceAll(words, {{absl::StrCat("follow", sep, "up"),
                                      "follow-up"}});
}

}  // namespace

std::string EnumPrefix(const google::protobuf::EnumDescriptor& e) {
  std::string prefix;
  for (char c : e.name()) {
    if (absl::ascii_isupper(c) && !prefix.empty()) prefix += '_';
    prefix += absl::ascii_toupper(c);
  }
  return prefix + "_";
}

std::string EnumWords(const google::protobuf::EnumDescriptor& e, int value) {
  if (value == 0) return "";
  const google::protobuf::EnumValueDescriptor* v = e.FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat(value);
  return Stem(e, *v, " ");
}

std::vector<std::string> EnumChoices(
    const google::protobuf::EnumDescriptor& e) {
  std::vector<std::string> out;
  for (int i = 0; i < e.value_count(); ++i) {
    if (e.value(i)->number() == 0) continue;
    out.push_back(Stem(e, *e.value(i), "-"));
  }
  return out;
}

absl::StatusOr<int> ParseEnumWords(const google::protobuf::EnumDescriptor& e,
                                   absl::string_view text,
                                   absl::string_view flag) {
  std::string wanted = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  wanted = absl::StrReplaceAll(wanted, {{"-", "_"}, {" ", "_"}});
  for (int i = 0; i < e.value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* v = e.value(i);
    if (v->number() == 0) continue;
    if (v->name() == wanted || v->name() == EnumPrefix(e) + wanted) {
      return v->number();
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(flag, ": '", text, "' is not one of: ",
                   absl::StrJoin(EnumChoices(e), ", ")));
}

}  // namespace tandem::cli
