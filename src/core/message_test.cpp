#include "core/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace hark {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// parse() then serialize() must give back the very same bytes for text already in the compact
// form Hark writes.
void ExpectRoundTrip(const std::string& wire) {
  Message m = Message::parse(wire);
  EXPECT_EQ(m.serialize(), wire);
  EXPECT_EQ(Message::parse(m.serialize()), m);
}

std::string Nested(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += i % 2 ? R"({"k":)" : "[";
  text += "0";
  for (int i = depth - 1; i >= 0; --i) text += i % 2 ? "}" : "]";
  return text;
}

TEST(Message, ParsesTheThreeKeys) {
  auto m = Message::parse(R"({"type":"speak","data":{"utterance":"hi"},"context":{"a":1}})");
  EXPECT_EQ(m.type(), "speak");
  EXPECT_EQ(m.data()["utterance"], "hi");
  EXPECT_EQ(m.context()["a"], 1);
}

TEST(Message, RoundTripKeepsUnicodeAsRawUtf8) {
  // Emoji (4 bytes, outside the BMP), CJK, a combining acute accent after "e", right-to-left text.
  ExpectRoundTrip(
      "{\"type\":\"speak\",\"data\":{\"utterance\":\"\xF0\x9F\x98\x80 \xE5\xA4\xA9\xE6\xB0\x97 "
      "cafe\xCC\x81 \xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7\"},\"context\":{\"lang\":\"ja-JP\"}}");
}

TEST(Message, EscapedCharactersAreWrittenAsRawUtf8) {
  auto m = Message::parse(R"({"type":"t","data":{"s":"\u00e9\ud83d\ude00\u5929"}})");
  EXPECT_EQ(m.serialize(),
            "{\"type\":\"t\",\"data\":{\"s\":\"\xC3\xA9\xF0\x9F\x98\x80\xE5\xA4\xA9\"},"
            "\"context\":{}}");
  EXPECT_THAT(m.serialize(), Not(HasSubstr("\\u")));
}

TEST(Message, ControlCharactersStayEscaped) {
  ExpectRoundTrip(R"({"type":"t","data":{"s":"a\nb\t\"q\"\\\u0001"},"context":{}})");
}

TEST(Message, RoundTripKeepsKeyOrder) {
  ExpectRoundTrip(
      R"({"type":"t","data":{"zebra":1,"apple":2,"mango":{"z":null,"a":[3,2,1]}},)"
      R"("context":{"session":{"session_id":"default"},"destination":"audio","source":"skills"}})");
}

TEST(Message, WritesTheTopLevelKeysInOneOrder) {
  auto m = Message::parse(R"({"context":{"a":1},"data":{"b":2},"type":"t"})");
  EXPECT_EQ(m.serialize(), R"({"type":"t","data":{"b":2},"context":{"a":1}})");
}

TEST(Message, RoundTripKeepsNumbers) {
  ExpectRoundTrip(
      R"({"type":"t","data":{"i":-42,"u":18446744073709551615,"f":0.1,"e":1e+300,"z":-0.0,)"
      R"("b":true,"n":null},"context":{}})");
}

TEST(Message, RoundTripKeepsDeepNesting) {
  // 2 levels for the envelope and "data", 510 below: exactly the limit.
  ExpectRoundTrip(R"({"type":"t","data":{"x":)" + Nested(510) + R"(},"context":{}})");
}

TEST(Message, RejectsNestingBeyondTheLimit) {
  const std::string text = R"({"type":"t","data":{"x":)" + Nested(511) + "}}";
  try {
    Message::parse(text);
    FAIL() << "parsed a message nested 513 deep";
  } catch (const MessageError& e) {
    EXPECT_STREQ(e.what(), "message nests deeper than 512 levels");
    // The 511th bracket below "data" opens level 513.
    EXPECT_EQ(e.offset(), text.rfind('['));
  }
}

TEST(Message, BracketsInStringsDoNotCountAsNesting) {
  const std::string brackets(2000, '[');
  ExpectRoundTrip(R"({"type":"t","data":{"s":"\"\\)" + brackets + R"("},"context":{}})");
}

TEST(Message, RoundTripKeepsAFiveMegabytePayload) {
  std::string audio(5 * 1024 * 1024, 'A');
  for (std::size_t i = 0; i < audio.size(); i += 7) audio[i] = '/';
  const std::string wire =
      R"({"type":"speak:b64_audio.response","data":{"audio":")" + audio + R"("},"context":{}})";
  Message m = Message::parse(wire);
  EXPECT_EQ(m.data()["audio"].get_ref<const std::string&>().size(), audio.size());
  EXPECT_EQ(m.serialize(), wire);
}

TEST(Message, MissingOrNullDataAndContextBecomeEmptyObjects) {
  for (const char* text : {R"({"type":"t"})", R"({"type":"t","data":null,"context":null})"}) {
    SCOPED_TRACE(text);
    auto m = Message::parse(text);
    EXPECT_EQ(m.data(), Json::object());
    EXPECT_EQ(m.context(), Json::object());
    EXPECT_EQ(m.serialize(), R"({"type":"t","data":{},"context":{}})");
  }
}

TEST(Message, DropsExtraTopLevelKeys) {
  auto m = Message::parse(R"({"type":"t","id":7,"data":{"a":1},"context":{},"ts":1.5})");
  EXPECT_EQ(m.serialize(), R"({"type":"t","data":{"a":1},"context":{}})");
}

struct Rejection {
  std::string text;
  std::string reason;  // a part of what()
  std::size_t offset;
};

TEST(Message, RejectsMalformedMessagesSayingWhyAndWhere) {
  const Rejection cases[] = {
      {R"([{"type":"t"}])", "a bus message must be a JSON object", 0},
      {R"("speak")", "a bus message must be a JSON object", 0},
      {R"({"data":{}})", "message has no \"type\"", 0},
      {R"({"type":5})", "message \"type\" must be a string", 0},
      {R"({"type":null})", "message \"type\" must be a string", 0},
      {R"({"type":"t","data":[1]})", "message \"data\" must be an object", 0},
      {R"({"type":"t","data":"x"})", "message \"data\" must be an object", 0},
      {R"({"type":"t","context":true})", "message \"context\" must be an object", 0},
      {R"({"type":"t",})", "invalid JSON", 12},
      {R"({"type":"t"} {})", "expected end of input", 13},
      {R"({"type":"t")", "unexpected end of input", 11},
      {"", "invalid JSON", 0},
      {"{\"type\":\"t\xFF\"}", "ill-formed UTF-8", 10},
      // A lead byte followed by one that cannot continue it: the second is the bad one.
      {"{\"type\":\"t\",\"data\":{\"s\":\"\xC3\x28\"}}", "ill-formed UTF-8", 26},
      {R"({"type":"t","data":{"n":1e400}})", "number overflow parsing '1e400'", 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    try {
      Message::parse(c.text);
      ADD_FAILURE() << "parsed";
    } catch (const MessageError& e) {
      EXPECT_THAT(e.what(), HasSubstr(c.reason));
      EXPECT_EQ(e.offset(), c.offset);
    }
    std::string error;
    EXPECT_FALSE(Message::try_parse(c.text, &error).has_value());
    EXPECT_THAT(error, HasSubstr(c.reason));
  }
}

TEST(Message, TryParseWithoutAnErrorString) {
  EXPECT_FALSE(Message::try_parse("nope").has_value());
  EXPECT_EQ(Message::try_parse(R"({"type":"t"})")->type(), "t");
}

TEST(Message, ConstructorRejectsDataOrContextThatIsNotAnObject) {
  EXPECT_THROW(Message("t", Json::array()), MessageError);
  EXPECT_THROW(Message("t", Json::object(), Json("x")), MessageError);
  EXPECT_EQ(Message("t", nullptr, nullptr).serialize(), R"({"type":"t","data":{},"context":{}})");
}

// The utterance of protocols.md §1.7.
Message Utterance() {
  return Message::parse(R"({"type":"recognizer_loop:utterance",
    "data":{"utterances":["what time is it"],"lang":"en-US"},
    "context":{"source":"audio","destination":["skills"],
               "session":{"session_id":"default","lang":"en-US"},"target":"x"}})");
}

TEST(MessageDerivation, ForwardKeepsTheContextUnchanged) {
  const Message original = Utterance();
  Message f = original.forward("speak", {{"utterance", "hi"}});
  EXPECT_EQ(f.type(), "speak");
  EXPECT_EQ(f.data(), Json({{"utterance", "hi"}}));
  EXPECT_EQ(f.context(), original.context());
  EXPECT_EQ(original.forward("x").data(), Json::object());
}

TEST(MessageDerivation, ReplySwapsSourceAndDestination) {
  // The intent dispatch of §1.7, byte for byte.
  Message dispatch = Utterance().reply("ovos-skill-date-time.openvoiceos:what.time.is.it.intent",
                                       {{"utterances", {"what time is it"}}, {"lang", "en-US"}},
                                       {{"skill_id", "ovos-skill-date-time.openvoiceos"}});
  EXPECT_EQ(dispatch.serialize(),
            R"({"type":"ovos-skill-date-time.openvoiceos:what.time.is.it.intent",)"
            R"("data":{"utterances":["what time is it"],"lang":"en-US"},)"
            R"("context":{"source":["skills"],"destination":"audio",)"
            R"("session":{"session_id":"default","lang":"en-US"},"target":"x",)"
            R"("skill_id":"ovos-skill-date-time.openvoiceos"}})");
}

TEST(MessageDerivation, ReplyDeepCopiesTheContext) {
  const Message original = Utterance();
  Message r = original.reply("r");
  r.context()["session"]["session_id"] = "changed";
  EXPECT_EQ(original.context()["session"]["session_id"], "default");
}

TEST(MessageDerivation, ReplyOverlayReplacesWholeValues) {
  // Python's reply() assigns each overlay key; it does not merge into the session.
  Message r = Utterance().reply("r", {}, {{"session", {{"session_id", "remote"}}}, {"new", 1}});
  EXPECT_EQ(r.context()["session"], Json({{"session_id", "remote"}}));
  EXPECT_EQ(r.context()["new"], 1);
}

TEST(MessageDerivation, ReplyTakesTheDestinationFromDataBeforeSwapping) {
  Message r = Utterance().reply("r", {{"destination", "hive"}});
  EXPECT_EQ(r.context()["source"], "hive");
  EXPECT_EQ(r.context()["destination"], "audio");
  EXPECT_EQ(r.data(), Json({{"destination", "hive"}}));  // left in data too, as Python does
}

TEST(MessageDerivation, ReplySwapsOnlyWhenBothArePresent) {
  const Message only_source("t", {}, {{"source", "audio"}});
  EXPECT_EQ(only_source.reply("r").context(), Json({{"source", "audio"}}));

  const Message only_destination("t", {}, {{"destination", "audio"}});
  EXPECT_EQ(only_destination.reply("r").context(), Json({{"destination", "audio"}}));

  // A destination that arrives in data, with no source, is copied and stays a destination.
  EXPECT_EQ(Message("t").reply("r", {{"destination", "gui"}}).context(),
            Json({{"destination", "gui"}}));

  // An overlay can supply the missing half.
  EXPECT_EQ(only_source.reply("r", {}, {{"destination", "skills"}}).context(),
            Json({{"source", "skills"}, {"destination", "audio"}}));
}

TEST(MessageDerivation, ResponseAppendsTheSuffix) {
  const Message request("mycroft.skills.is_alive", {}, {{"source", "cli"}, {"destination", "x"}});
  Message r = request.response({{"status", true}}, {{"extra", 1}});
  EXPECT_EQ(r.serialize(), R"({"type":"mycroft.skills.is_alive.response","data":{"status":true},)"
                           R"("context":{"source":"x","destination":"cli","extra":1}})");
  EXPECT_EQ(r.response().type(), "mycroft.skills.is_alive.response.response");
}

TEST(MessageDerivation, PublishDropsTheTarget) {
  Message p = Utterance().publish("mycroft.ready", {{"ok", true}});
  EXPECT_EQ(p.serialize(),
            R"({"type":"mycroft.ready","data":{"ok":true},"context":{"source":"audio",)"
            R"("destination":["skills"],"session":{"session_id":"default","lang":"en-US"}}})");
  EXPECT_EQ(Message("t").publish("p").context(), Json::object());
}

}  // namespace
}  // namespace hark
