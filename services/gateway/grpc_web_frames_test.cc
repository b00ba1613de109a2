#include "services/gateway/grpc_web_frames.h"

#include <gtest/gtest.h>

#include <string>

namespace tandem::gateway {
namespace {

using ::std::string_literals::operator""s;

TEST(EncodeFrameTest, FlagThenBigEndianLengthThenPayload) {
  EXPECT_EQ(EncodeFrame(kMessageFlag, "abc"), "\x00\x00\x00\x00\x03"
                                              "abc"s);
  EXPECT_EQ(EncodeFrame(kTrailerFlag, ""), "\x80\x00\x00\x00\x00"s);
  const std::string big(0x010203, 'x');
  const std::string frame = EncodeFrame(kMessageFlag, big);
  EXPECT_EQ(frame.substr(0, 5), "\x00\x00\x01\x02\x03"s);
  EXPECT_EQ(frame.size(), 5 + big.size());
}

TEST(ParseRequestBodyTest, ReturnsTheOneMessage) {
  absl::StatusOr<std::string> message =
      ParseRequestBody(EncodeFrame(kMessageFlag, "\x0a\x02hi"));
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(*message, "\x0a\x02hi");
}

TEST(ParseRequestBodyTest, AcceptsAnEmptyMessage) {
  absl::StatusOr<std::string> message =
      ParseRequestBody(EncodeFrame(kMessageFlag, ""));
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(*message, "");
}

TEST(ParseRequestBodyTest, RefusesMalformedBodies) {
  const std::string frame = EncodeFrame(kMessageFlag, "hello");
  for (const std::string& body :
       {std::string(), "\x00\x00\x00"s, frame.substr(0, frame.size() - 1),
        frame + "x", frame + frame, EncodeFrame(kTrailerFlag, "a: b\r\n"),
        EncodeFrame(0x02, "x"), "\x00\xff\xff\xff\xff"s}) {
    EXPECT_EQ(ParseRequestBody(body).status().code(),
              absl::StatusCode::kInvalidArgument)
        << testing::PrintToString(body);
  }
}

TEST(ParseRequestBodyTest, CompressedIsUnimplemented) {
  EXPECT_EQ(ParseRequestBody(EncodeFrame(kCompressedFlag, "x")).status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST(PercentEncodeTest, KeepsPrintableAsciiAndEncodesTheRest) {
  EXPECT_EQ(PercentEncode("therapist th-1: not found"),
            "therapist th-1: not found");
  EXPECT_EQ(PercentEncode("100%"), "100%25");
  EXPECT_EQ(PercentEncode("a\r\nb"), "a%0D%0Ab");
  EXPECT_EQ(PercentEncode("caf\xc3\xa9"), "caf%C3%A9");
}

TEST(EncodeTrailerTest, StatusMessageThenMetadata) {
  const std::string frame =
      EncodeTrailer(7, "room rm-2: denied\n", {{"x-extra", "1"},
                                               {"grpc-status-details-bin", "AAEC"}});
  ASSERT_GE(frame.size(), 5u);
  EXPECT_EQ(static_cast<uint8_t>(frame[0]), kTrailerFlag);
  EXPECT_EQ(frame.substr(5),
            "grpc-status: 7\r\ngrpc-message: room rm-2: denied%0A\r\n"
            "x-extra: 1\r\ngrpc-status-details-bin: AAEC\r\n");
}

TEST(EncodeTrailerTest, OkHasNoMessageLine) {
  EXPECT_EQ(EncodeTrailer(0, "", {}).substr(5), "grpc-status: 0\r\n");
}

TEST(EncodeTrailerTest, DropsReservedAndUnsafeEntries) {
  EXPECT_EQ(EncodeTrailer(0, "",
                          {{"grpc-status", "0"},
                           {"grpc-message", "x"},
                           {"x-bad", "a\r\ninjected: 1"},
                           {"bad:name", "v"},
                           {"", "v"},
                           {"X-Upper", "ok"}})
                .substr(5),
            "grpc-status: 0\r\nx-upper: ok\r\n");
}

TEST(ParseGrpcTimeoutTest, EveryUnit) {
  EXPECT_EQ(ParseGrpcTimeout("2H"), absl::Hours(2));
  EXPECT_EQ(ParseGrpcTimeout("3M"), absl::Minutes(3));
  EXPECT_EQ(ParseGrpcTimeout("30S"), absl::Seconds(30));
  EXPECT_EQ(ParseGrpcTimeout("30000m"), absl::Seconds(30));
  EXPECT_EQ(ParseGrpcTimeout("5u"), absl::Microseconds(5));
  EXPECT_EQ(ParseGrpcTimeout("99999999n"), absl::Nanoseconds(99999999));
}

TEST(ParseGrpcTimeoutTest, RefusesWhatIsNotTheGrammar) {
  for (const char* value :
       {"", "S", "10", "10s", "-1S", "1.5S", "123456789S", " 1S", "1 S"}) {
    EXPECT_EQ(ParseGrpcTimeout(value), std::nullopt) << value;
  }
}

}  // namespace
}  // namespace tandem::gateway
