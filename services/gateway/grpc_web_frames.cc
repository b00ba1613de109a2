#include "services/gateway/grpc_web_frames.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tandem::gateway {

namespace {

uint32_t ReadBigEndian32(absl::string_view bytes) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(bytes[0])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(bytes[1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(bytes[2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[3]));
}

bool SafeHeaderText(absl::string_view text) {
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

}  // namespace

std::string EncodeFrame(uint8_t flag, absl::string_view payload) {
  const uint32_t length = static_cast<uint32_t>(payload.size());
  std::string frame;
  frame.reserve(kFrameHeaderBytes + payload.size());
  frame.push_back(static_cast<char>(flag));
  frame.push_back(static_cast<char>((length >> 24) & 0xff));
  frame.push_back(static_cast<char>((length >> 16) & 0xff));
  frame.push_back(static_cast<char>((length >> 8) & 0xff));
  frame.push_back(static_cast<char>(length & 0xff));
  frame.append(payload.data(), payload.size());
  return frame;
}

absl::StatusOr<std::string> ParseRequestBody(absl::string_view body) {
  if (body.size() < kFrameHeaderBytes) {
    return absl::InvalidArgumentError(
        "gRPC-Web request: the body is not one length-prefixed message");
  }
  const uint8_t flag = static_cast<uint8_t>(body[0]);
  const uint32_t length = ReadBigEndian32(body.substr(1, 4));
  if ((flag & kTrailerFlag) != 0) {
    return absl::InvalidArgumentError(
        "gRPC-Web request: a trailer frame where the message belongs");
  }
  if ((flag & kCompressedFlag) != 0) {
    return absl::UnimplementedError(
        "gRPC-Web request: compressed messages are not supported");
  }
  if (flag != kMessageFlag) {
    return absl::InvalidArgumentError(
        "gRPC-Web request: unknown frame flags");
  }
  const absl::string_view rest = body.substr(kFrameHeaderBytes);
  if (rest.size() < length) {
    return absl::InvalidArgumentError(
        "gRPC-Web request: the message is shorter than its length prefix");
  }
  if (rest.size() > length) {
    return absl::InvalidArgumentError(
        "gRPC-Web request: bytes after the message (only unary and "
        "server-streaming calls are supported)");
  }
  return std::string(rest);
}

std::string PercentEncode(absl::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e || byte == '%') {
      absl::StrAppendFormat(&out, "%%%02X", byte);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string EncodeTrailer(int code, absl::string_view message,
                          const Metadata& extra) {
  std::string block = absl::StrCat("grpc-status: ", code, "\r\n");
  if (!message.empty()) {
    absl::StrAppend(&block, "grpc-message: ", PercentEncode(message), "\r\n");
  }
  for (const auto& [name, value] : extra) {
    if (name.empty() || name == "grpc-status" || name == "grpc-message" ||
        !SafeHeaderText(name) || !SafeHeaderText(value) ||
        absl::StrContains(name, ':')) {
      continue;
    }
    absl::StrAppend(&block, absl::AsciiStrToLower(name), ": ", value, "\r\n");
  }
  return EncodeFrame(kTrailerFlag, block);
}

std::optional<absl::Duration> ParseGrpcTimeout(absl::string_view value) {
  // gRPC over HTTP2: TimeoutValue is at most 8 ASCII digits.
  if (value.size() < 2 || value.size() > 9) return std::nullopt;
  const absl::string_view digits = value.substr(0, value.size() - 1);
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  int64_t amount = 0;
  if (!absl::SimpleAtoi(digits, &amount)) return std::nullopt;
  switch (value.back()) {
    case 'H':
      return absl::Hours(amount);
    case 'M':
      return absl::Minutes(amount);
    case 'S':
      return absl::Seconds(amount);
    case 'm':
      return absl::Milliseconds(amount);
    case 'u':
      return absl::Microseconds(amount);
    case 'n':
      return absl::Nanoseconds(amount);
    default:
      return std::nullopt;
  }
}

}  // namespace tandem::gateway
