#include "services/common/audit_targets.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "google/protobuf/descriptor.h"

namespace tandem::common {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// couple_id fields are searched this many message levels below the top.
constexpr int kMaxCoupleDepth = 6;

bool IsString(const FieldDescriptor& field) {
  return field.type() == FieldDescriptor::TYPE_STRING;
}

// A singular string field holding one resource's id.
bool IsIdField(const FieldDescriptor& field) {
  if (field.is_repeated() || !IsString(field)) return false;
  const std::string& name = field.name();
  return name == "id" || (absl::EndsWith(name, "_id") && name != "request_id");
}

// A repeated string field holding resource ids.
bool IsIdsField(const FieldDescriptor& field) {
  return field.is_repeated() && IsString(field) &&
         absl::EndsWith(field.name(), "_ids");
}

class TargetCollector {
 public:
  // Adds the top-level id fields of `message` to resource_ids, and with
  // `with_repeated` the elements of its "_ids" fields.
  void AddResourceIds(const Message& message, bool with_repeated) {
    const Reflection& reflection = *message.GetReflection();
    std::vector<const FieldDescriptor*>& fields = fields_by_depth_[0];
    reflection.ListFields(message, &fields);
    for (const FieldDescriptor* field : fields) {
      if (IsIdField(*field)) {
        AddResourceId(reflection.GetStringReference(message, field, &scratch_));
      } else if (with_repeated && IsIdsField(*field)) {
        const int size = reflection.FieldSize(message, field);
        for (int i = 0; i < size; ++i) {
          AddResourceId(reflection.GetRepeatedStringReference(message, field, i,
                                                              &scratch_));
        }
      }
    }
  }

  // The one set singular message field of `response`, or null if it has
  // none or several.
  const Message* SoleMessage(const Message& response) {
    const Reflection& reflection = *response.GetReflection();
    std::vector<const FieldDescriptor*>& fields = fields_by_depth_[0];
    reflection.ListFields(response, &fields);
    const Message* sole = nullptr;
    for (const FieldDescriptor* field : fields) {
      if (field->is_repeated() ||
          field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
        continue;
      }
      if (sole != nullptr) return nullptr;
      sole = &reflection.GetMessage(response, field);
    }
    return sole;
  }

  // Adds every couple_id in `message` (`depth` levels below the top) to
  // couple_ids.
  void AddCoupleIds(const Message& message, int depth) {
    const Reflection& reflection = *message.GetReflection();
    std::vector<const FieldDescriptor*>& fields = fields_by_depth_[depth];
    reflection.ListFields(message, &fields);
    for (const FieldDescriptor* field : fields) {
      if (CoupleIdsFull()) return;
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        if (depth >= kMaxCoupleDepth) continue;
        if (field->is_repeated()) {
          const int size = reflection.FieldSize(message, field);
          for (int i = 0; i < size && !CoupleIdsFull(); ++i) {
            AddCoupleIds(reflection.GetRepeatedMessage(message, field, i),
                         depth + 1);
          }
        } else {
          AddCoupleIds(reflection.GetMessage(message, field), depth + 1);
        }
      } else if (IsString(*field) && field->name() == "couple_id") {
        if (field->is_repeated()) {
          const int size = reflection.FieldSize(message, field);
          for (int i = 0; i < size; ++i) {
            AddCoupleId(reflection.GetRepeatedStringReference(message, field, i,
                                                              &scratch_));
          }
        } else {
          AddCoupleId(reflection.GetStringReference(message, field, &scratch_));
        }
      }
    }
  }

  AuditTargets Release() && { return std::move(targets_); }

 private:
  void AddResourceId(const std::string& id) {
    std::vector<std::string>& ids = targets_.resource_ids;
    if (id.empty() || ids.size() >= AuditTargets::kMaxResourceIds) return;
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) return;
    ids.push_back(id);
  }

  void AddCoupleId(const std::string& id) {
    if (id.empty() || CoupleIdsFull()) return;
    if (couple_ids_seen_.insert(id).second) targets_.couple_ids.push_back(id);
  }

  bool CoupleIdsFull() const {
    return targets_.couple_ids.size() >= AuditTargets::kMaxCoupleIds;
  }

  AuditTargets targets_;
  absl::flat_hash_set<std::string> couple_ids_seen_;
  // ListFields output per level below the top message, reused by siblings.
  std::array<std::vector<const FieldDescriptor*>, kMaxCoupleDepth + 1>
      fields_by_depth_;
  // Where GetStringReference copies a string not stored as std::string.
  std::string scratch_;
};

}  // namespace

AuditTargets ExtractAuditTargets(const google::protobuf::Message& request,
                                 const google::protobuf::Message* response) {
  TargetCollector collector;
  collector.AddResourceIds(request, /*with_repeated=*/true);
  if (response != nullptr) {
    if (const Message* created = collector.SoleMessage(*response)) {
      collector.AddResourceIds(*created, /*with_repeated=*/false);
    }
  }
  collector.AddCoupleIds(request, 0);
  if (response != nullptr) collector.AddCoupleIds(*response, 0);
  return std::move(collector).Release();
}

}  // namespace tandem::common
