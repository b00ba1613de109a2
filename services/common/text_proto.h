// Test helper: a message from text format, failing the test if it does not
// parse ("display_name: \"T\" sex: SEX_MALE").
#ifndef TANDEM_SERVICES_COMMON_TEXT_PROTO_H_
#define TANDEM_SERVICES_COMMON_TEXT_PROTO_H_

#include <gtest/gtest.h>

#include <string>

#include "google/protobuf/text_format.h"

namespace tandem::common {

template <typename T>
T ParseTextProto(const std::string& text) {
  T message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message))
      << text;
  return message;
}

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_TEXT_PROTO_H_
