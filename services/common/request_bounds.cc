#include "services/common/request_bounds.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace tandem::common {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Walks one request depth first. On the first violation it stops, and the
// frames it unwinds through record the path, innermost step first, so the
// happy path never builds a string.
class BoundsWalker {
 public:
  explicit BoundsWalker(const RequestBounds& bounds) : bounds_(bounds) {}

  // False at the first violation inside `message`, which sits `depth`
  // levels below the request.
  bool Walk(const Message& message, int depth) {
    if (depth > bounds_.max_depth) {
      violation_ = Violation::kDepth;
      return false;
    }
    if (fields_by_depth_.size() <= static_cast<size_t>(depth)) {
      fields_by_depth_.resize(depth + 1);
    }
    const Reflection& reflection = *message.GetReflection();
    reflection.ListFields(message, &fields_by_depth_[depth]);
    // Indexed, not by reference: deeper levels may grow fields_by_depth_.
    for (size_t i = 0; i < fields_by_depth_[depth].size(); ++i) {
      if (!CheckField(message, reflection, *fields_by_depth_[depth][i],
                      depth)) {
        return false;
      }
    }
    return true;
  }

  // The INVALID_ARGUMENT for the violation Walk stopped at.
  absl::Status Error() const {
    if (violation_ == Violation::kDepth) {
      return absl::InvalidArgumentError(absl::StrCat(
          "request nests deeper than ", bounds_.max_depth, " levels"));
    }
    std::string path;
    for (auto step = path_.rbegin(); step != path_.rend(); ++step) {
      if (!path.empty()) path.push_back('.');
      absl::StrAppend(&path, step->field->name());
      if (step->index >= 0) absl::StrAppend(&path, "[", step->index, "]");
    }
    if (violation_ == Violation::kString) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": at most ", bounds_.max_string_bytes, " bytes"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": at most ", bounds_.max_repeated, " entries"));
  }

 private:
  enum class Violation { kString, kRepeated, kDepth };

  // One field on the path to a violation; index < 0 for the field itself.
  struct Step {
    const FieldDescriptor* field;
    int index;
  };

  bool CheckField(const Message& message, const Reflection& reflection,
                  const FieldDescriptor& field, int depth) {
    const FieldDescriptor::CppType type = field.cpp_type();
    if (field.is_repeated()) {
      const int size = reflection.FieldSize(message, &field);
      if (static_cast<size_t>(size) > bounds_.max_repeated) {
        return Fail(Violation::kRepeated, field, -1);
      }
      if (type == FieldDescriptor::CPPTYPE_MESSAGE) {
        for (int i = 0; i < size; ++i) {
          if (!Walk(reflection.GetRepeatedMessage(message, &field, i),
                    depth + 1)) {
            return AddStep(field, i);
          }
        }
      } else if (type == FieldDescriptor::CPPTYPE_STRING) {
        for (int i = 0; i < size; ++i) {
          if (reflection
                  .GetRepeatedStringReference(message, &field, i, &scratch_)
                  .size() > bounds_.max_string_bytes) {
            return Fail(Violation::kString, field, i);
          }
        }
      }
      return true;
    }
    if (type == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!Walk(reflection.GetMessage(message, &field), depth + 1)) {
        return AddStep(field, -1);
      }
    } else if (type == FieldDescriptor::CPPTYPE_STRING) {
      if (reflection.GetStringReference(message, &field, &scratch_).size() >
          bounds_.max_string_bytes) {
        return Fail(Violation::kString, field, -1);
      }
    }
    return true;
  }

  bool Fail(Violation violation, const FieldDescriptor& field, int index) {
    violation_ = violation;
    return AddStep(field, index);
  }

  // Records one step of the path while unwinding; always false.
  bool AddStep(const FieldDescriptor& field, int index) {
    // A too-deep request is reported without a path.
    if (violation_ != Violation::kDepth) path_.push_back(Step{&field, index});
    return false;
  }

  const RequestBounds& bounds_;
  // ListFields output per nesting level, reused by siblings.
  std::vector<std::vector<const FieldDescriptor*>> fields_by_depth_;
  // Where GetStringReference copies a string not stored as std::string.
  std::string scratch_;
  Violation violation_ = Violation::kString;
  std::vector<Step> path_;
};

}  // namespace

absl::Status CheckRequestBounds(const google::protobuf::Message& request,
                                const RequestBounds& bounds) {
  BoundsWalker walker(bounds);
  if (walker.Walk(request, 0)) return absl::OkStatus();
  return walker.Error();
}

}  // namespace tandem::common
