#include "bus/frame.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace hark::bus {
namespace {

// A client-to-server frame as RFC 6455 lays it out (masked).
std::string client_frame(Opcode opcode, std::string_view payload, bool fin = true,
                         std::uint8_t rsv = 0, bool masked = true) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | (rsv << 4) | static_cast<int>(opcode)));
  const unsigned char mask_bit = masked ? 0x80 : 0;
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(mask_bit | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(
          static_cast<char>((static_cast<std::uint64_t>(payload.size()) >> shift) & 0xFF));
    }
  }
  const unsigned char mask[4] = {0x37, 0xFA, 0x21, 0x3D};
  if (masked) out.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    out.push_back(masked ? static_cast<char>(payload[i] ^ mask[i % 4]) : payload[i]);
  }
  return out;
}

struct Recorder {
  std::vector<std::pair<Opcode, std::string>> messages;
  std::vector<SharedFrame> frames;
  std::vector<std::string> pings, pongs;
  std::vector<std::pair<std::uint16_t, std::string>> closes;
  std::vector<std::pair<CloseCode, std::string>> errors;

  void on_message(Opcode opcode, MessageBuffer&& buffer) {
    messages.emplace_back(opcode, std::string(buffer.data(), buffer.size()));
    frames.push_back(std::move(buffer).seal(opcode));
  }
  void on_ping(std::string_view p) { pings.emplace_back(p); }
  void on_pong(std::string_view p) { pongs.emplace_back(p); }
  void on_close(std::uint16_t code, std::string_view reason) { closes.emplace_back(code, reason); }
  void on_error(CloseCode code, std::string_view why) { errors.emplace_back(code, why); }
};

Recorder parse(const std::string& wire, std::size_t max = 1 << 20, std::size_t chunk = 0) {
  FrameParser parser(max);
  Recorder recorder;
  if (chunk == 0) chunk = wire.size();
  for (std::size_t at = 0; at < wire.size(); at += chunk) {
    parser.feed(wire.data() + at, std::min(chunk, wire.size() - at), recorder);
  }
  return recorder;
}

TEST(Frame, ServerHeadersUseTheShortestLengthForm) {
  EXPECT_EQ(make_frame(Opcode::text, "")->bytes(), std::string("\x81\x00", 2));
  EXPECT_EQ(make_frame(Opcode::text, "hi")->bytes(), "\x81\x02hi");
  auto f125 = make_frame(Opcode::text, std::string(125, 'a'));
  EXPECT_EQ(f125->size(), 127u);
  EXPECT_EQ(static_cast<unsigned char>(f125->bytes()[1]), 125);
  auto f126 = make_frame(Opcode::binary, std::string(126, 'a'));
  EXPECT_EQ(f126->bytes().substr(0, 4), std::string("\x82\x7E\x00\x7E", 4));
  auto f64k = make_frame(Opcode::text, std::string(65535, 'a'));
  EXPECT_EQ(f64k->bytes().substr(0, 4), std::string("\x81\x7E\xFF\xFF", 4));
  auto big = make_frame(Opcode::text, std::string(65536, 'a'));
  EXPECT_EQ(big->bytes().substr(0, 10),
            std::string("\x81\x7F\x00\x00\x00\x00\x00\x01\x00\x00", 10));
  EXPECT_EQ(big->payload(), std::string(65536, 'a'));
}

TEST(Frame, CloseFrameCarriesCodeAndReason) {
  auto frame = make_close_frame(CloseCode::too_big, "too big");
  EXPECT_EQ(frame->bytes(), std::string("\x88\x09\x03\xF1too big", 11));
}

TEST(FrameParser, RelaysTheExactPayloadBytesInAServerFrame) {
  const std::string json = R"({"type":"speak","data":{"utterance":"héllo 🎉"}})";
  auto r = parse(client_frame(Opcode::text, json));
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].second, json);
  EXPECT_EQ(r.frames[0]->bytes(), make_frame(Opcode::text, json)->bytes());
}

TEST(FrameParser, SameResultWhateverTheReadBoundaries) {
  std::string wire = client_frame(Opcode::text, std::string(300, 'x')) +
                     client_frame(Opcode::ping, "p") +
                     client_frame(Opcode::text, std::string(70000, 'y'));
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 13u, 4096u}) {
    auto r = parse(wire, 1 << 20, chunk);
    ASSERT_EQ(r.messages.size(), 2u) << "chunk " << chunk;
    EXPECT_EQ(r.messages[0].second, std::string(300, 'x'));
    EXPECT_EQ(r.messages[1].second, std::string(70000, 'y'));
    EXPECT_EQ(r.pings, std::vector<std::string>{"p"});
    EXPECT_TRUE(r.errors.empty());
  }
}

TEST(FrameParser, ReassemblesFragmentsAroundControlFrames) {
  std::string wire = client_frame(Opcode::text, "{\"type\":", false) +
                     client_frame(Opcode::ping, "keepalive") +
                     client_frame(Opcode::continuation, "\"a\"", false) +
                     client_frame(Opcode::continuation, "}", true);
  auto r = parse(wire, 1 << 20, 5);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].second, R"({"type":"a"})");
  EXPECT_EQ(r.pings, std::vector<std::string>{"keepalive"});
}

TEST(FrameParser, EmptyMessagesAndBinary) {
  auto r = parse(client_frame(Opcode::text, "") + client_frame(Opcode::binary, "\x00\x01"));
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].second, "");
  EXPECT_EQ(r.messages[1].first, Opcode::binary);
}

TEST(FrameParser, CloseFrames) {
  auto r = parse(client_frame(Opcode::close, std::string("\x03\xE8"
                                                         "bye",
                                                         5)));
  ASSERT_EQ(r.closes.size(), 1u);
  EXPECT_EQ(r.closes[0].first, 1000);
  EXPECT_EQ(r.closes[0].second, "bye");
  auto no_code = parse(client_frame(Opcode::close, ""));
  ASSERT_EQ(no_code.closes.size(), 1u);
  EXPECT_EQ(no_code.closes[0].first, 1005);
  auto one_byte = parse(client_frame(Opcode::close, "x"));
  ASSERT_EQ(one_byte.errors.size(), 1u);
  EXPECT_EQ(one_byte.errors[0].first, CloseCode::protocol_error);
}

TEST(FrameParser, RefusesAnOversizedMessageFromItsHeader) {
  // Only the header of a 10 MB frame arrives: the refusal must not wait for the payload.
  std::string header = client_frame(Opcode::text, std::string(10'000'000, 'z')).substr(0, 14);
  auto r = parse(header, 1 << 20);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].first, CloseCode::too_big);
  EXPECT_TRUE(r.messages.empty());
}

TEST(FrameParser, CountsFragmentsTowardsTheLimit) {
  std::string wire = client_frame(Opcode::text, std::string(600, 'a'), false) +
                     client_frame(Opcode::continuation, std::string(600, 'a'), true);
  auto r = parse(wire, 1000);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].first, CloseCode::too_big);
  auto fits = parse(wire, 1200);
  EXPECT_TRUE(fits.errors.empty());
  EXPECT_EQ(fits.messages.size(), 1u);
}

TEST(FrameParser, ProtocolViolations) {
  struct Case {
    const char* name;
    std::string wire;
  };
  const Case cases[] = {
      {"unmasked", client_frame(Opcode::text, "{}", true, 0, false)},
      {"reserved bits", client_frame(Opcode::text, "{}", true, 0x4)},
      {"unknown opcode", client_frame(static_cast<Opcode>(0x3), "{}")},
      {"fragmented ping", client_frame(Opcode::ping, "x", false)},
      {"long ping", client_frame(Opcode::ping, std::string(126, 'x'))},
      {"continuation first", client_frame(Opcode::continuation, "x")},
      {"text inside fragments",
       client_frame(Opcode::text, "a", false) + client_frame(Opcode::text, "b")},
  };
  for (const auto& c : cases) {
    auto r = parse(c.wire + client_frame(Opcode::text, "after"));
    ASSERT_EQ(r.errors.size(), 1u) << c.name;
    EXPECT_EQ(r.errors[0].first, CloseCode::protocol_error) << c.name;
    // Nothing after a violation is trusted.
    for (const auto& m : r.messages) EXPECT_NE(m.second, "after") << c.name;
  }
}

TEST(FrameParser, UnmaskMatchesTheByteWiseDefinition) {
  std::mt19937 random(7);
  const unsigned char mask[4] = {0xA1, 0x02, 0xF3, 0x44};
  for (std::size_t size : {0u, 1u, 7u, 8u, 9u, 63u, 64u, 1000u}) {
    for (std::size_t offset = 0; offset < 4; ++offset) {
      std::string src(size, '\0');
      for (auto& c : src) c = static_cast<char>(random());
      std::string fast(size, '\0');
      unmask_copy(fast.data(), src.data(), size, mask, offset);
      for (std::size_t i = 0; i < size; ++i) {
        ASSERT_EQ(static_cast<unsigned char>(fast[i]),
                  static_cast<unsigned char>(src[i] ^ mask[(offset + i) % 4]))
            << size << " " << offset << " " << i;
      }
    }
  }
}

}  // namespace
}  // namespace hark::bus
