// The OVOS STT server client against a real HTTP server on loopback (test_stt_server.h).
#include "listener/remote_stt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "audio/wav.h"
#include "client/testing.h"
#include "config/test_support.h"
#include "listener/settings.h"
#include "listener/test_stt_server.h"

namespace hark::listener {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
using ::testing::HasSubstr;
using testing::SttServer;
using namespace std::chrono_literals;

std::vector<std::int16_t> a_recording() {
  std::vector<std::int16_t> samples(8000);
  for (std::size_t i = 0; i < samples.size(); ++i)
    samples[i] = static_cast<std::int16_t>((i * 37) % 2000 - 1000);
  return samples;
}

// A port nothing listens on: one the system gave and took back.
std::string refused_url() {
  asio::io_context io;
  tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
  auto port = probe.local_endpoint().port();
  probe.close();
  return "http://127.0.0.1:" + std::to_string(port) + "/stt";
}

TEST(RemoteStt, PostsTheRecordingAsAWavFileWithItsLanguage) {
  SttServer server(http::status::ok, "  what time is it\n");
  RemoteStt stt({.urls = {server.url()}, .lang = "en-US"});
  const auto recording = a_recording();

  auto t = stt.transcribe(recording);
  EXPECT_EQ(t.text, "what time is it");
  EXPECT_EQ(t.search, "remote");

  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/stt?lang=en-US");
  EXPECT_EQ(seen[0].content_type, "audio/wav");
  // libsndfile reads back what was sent: the same samples at 16 kHz.
  config::fixtures::TempDir dir;
  config::fixtures::write_file(dir / "sent.wav", seen[0].body);
  auto pcm = audio::read_wav(dir / "sent.wav");
  EXPECT_EQ(pcm.sample_rate, 16000);
  EXPECT_EQ(pcm.samples, recording);
}

TEST(RemoteStt, KeepsTheQueryOfTheUrl) {
  SttServer server(http::status::ok, "stop");
  RemoteStt stt({.urls = {server.url("/stt?model=small")}, .lang = "pt-PT"});
  EXPECT_EQ(stt.transcribe(a_recording()).text, "stop");
  EXPECT_EQ(server.seen().at(0).target, "/stt?model=small&lang=pt-PT");
}

TEST(RemoteStt, TriesEachServerInTurn) {
  SttServer failing(http::status::internal_server_error, "model not loaded");
  SttServer working(http::status::ok, "set a timer for ten minutes");
  RemoteStt stt({.urls = {refused_url(), failing.url(), working.url()}});
  EXPECT_EQ(stt.transcribe(a_recording()).text, "set a timer for ten minutes");
  EXPECT_EQ(failing.seen().size(), 1u);
}

TEST(RemoteStt, SaysWhyEachServerFailed) {
  SttServer failing(http::status::internal_server_error, "model not loaded");
  SttServer silent(http::status::ok, "", true);
  const auto refused = refused_url();
  RemoteStt stt({.urls = {refused, failing.url(), silent.url()}, .timeout = 300ms});
  try {
    stt.transcribe(a_recording());
    FAIL() << "no server answered, yet no error";
  } catch (const SttError& e) {
    EXPECT_THAT(e.what(), HasSubstr(refused + ": cannot connect"));
    EXPECT_THAT(e.what(), HasSubstr(failing.url() + ": answered 500 Internal Server Error: model "
                                                    "not loaded"));
    EXPECT_THAT(e.what(), HasSubstr(silent.url() + ": no answer in time"));
  }
}

TEST(RemoteStt, RefusesAnAnswerTooLongToBeACommand) {
  SttServer chatty(http::status::ok, std::string(100000, 'a'));
  RemoteStt stt({.urls = {chatty.url()}});
  try {
    stt.transcribe(a_recording());
    FAIL() << "took a 100 kB answer";
  } catch (const SttError& e) {
    EXPECT_THAT(e.what(), HasSubstr("body limit exceeded"));
  }
}

// A self-signed certificate for 127.0.0.1, made by the openssl command, in `dir`.
testing::Certificate self_signed_certificate(const config::fixtures::TempDir& dir) {
  testing::Certificate made{(dir / "cert.pem").string(), (dir / "key.pem").string()};
  auto openssl = hark::testing::run(
      {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
       "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
       "-keyout", made.key_file, "-out", made.cert_file},
      {}, 20s);
  EXPECT_EQ(openssl.exit_code, 0) << openssl.err;
  return made;
}

TEST(RemoteStt, SpeaksHttpsThroughTheTlsModule) {
  config::fixtures::TempDir dir;
  SttServer server(self_signed_certificate(dir), http::status::ok, "what is the weather like");
  RemoteStt stt({.urls = {server.url()}, .verify_ssl = false});
  EXPECT_EQ(stt.transcribe(a_recording()).text, "what is the weather like");
  ASSERT_EQ(server.seen().size(), 1u);
  EXPECT_EQ(server.seen()[0].content_type, "audio/wav");
}

TEST(RemoteStt, RefusesAnHttpsServerItCannotTrust) {
  config::fixtures::TempDir dir;
  SttServer server(self_signed_certificate(dir), http::status::ok, "what is the weather like");
  RemoteStt stt({.urls = {server.url()}});
  try {
    stt.transcribe(a_recording());
    FAIL() << "trusted a self-signed certificate";
  } catch (const SttError& e) {
    EXPECT_THAT(e.what(), HasSubstr(server.url() + ": TLS handshake failed: certificate verify "
                                                   "failed"));
  }
  EXPECT_TRUE(server.seen().empty());
}

TEST(FallbackStt, TheSecondEngineAnswersWhenTheFirstFails) {
  SttServer backup(http::status::ok, "what is the date");
  FallbackStt stt(std::make_shared<RemoteStt>(RemoteSttOptions{.urls = {refused_url()}}),
                  std::make_shared<RemoteStt>(RemoteSttOptions{.urls = {backup.url()}}));
  EXPECT_EQ(stt.transcribe(a_recording()).text, "what is the date");
}

TEST(HttpUrl, Parses) {
  auto plain = HttpUrl::parse("http://stt.lan:8080/stt");
  EXPECT_FALSE(plain.tls);
  EXPECT_EQ(plain.host, "stt.lan");
  EXPECT_EQ(plain.port, "8080");
  EXPECT_EQ(plain.target, "/stt");
  auto secure = HttpUrl::parse("https://stt.example.org");
  EXPECT_TRUE(secure.tls);
  EXPECT_EQ(secure.port, "443");
  EXPECT_EQ(secure.target, "/");
  auto v6 = HttpUrl::parse("http://[::1]:9000?x=1");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, "9000");
  EXPECT_EQ(v6.target, "/?x=1");
}

TEST(HttpUrl, SaysWhatIsWrong) {
  auto problem = [](const std::string& url) {
    try {
      HttpUrl::parse(url);
      return std::string("accepted");
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
  };
  EXPECT_THAT(problem("ftp://host/stt"), HasSubstr("not an http:// or https:// URL"));
  EXPECT_THAT(problem("http:///stt"), HasSubstr("has no host"));
  EXPECT_THAT(problem("http://host:99999/stt"), HasSubstr("port must be 1..65535"));
  EXPECT_THAT(problem("http://host:80x/stt"), HasSubstr("port must be 1..65535"));
  EXPECT_THAT(problem("http://[::1/stt"), HasSubstr("unclosed ["));
  EXPECT_THAT(problem("http://user:pw@host/stt"), HasSubstr("credentials"));
}

TEST(SttSettings, AServerModuleNeedsAUsableUrl) {
  auto problems = [](Json stt) { return validate(Json{{"stt", std::move(stt)}}); };
  EXPECT_THAT(problems({{"module", "ovos-stt-plugin-server"}}),
              ::testing::Contains(HasSubstr("stt.ovos-stt-plugin-server.url: no STT server")));
  EXPECT_THAT(
      problems({{"module", "ovos-stt-plugin-server"},
                {"ovos-stt-plugin-server", {{"url", "stt.lan:8080"}}}}),
      ::testing::Contains(HasSubstr("stt.ovos-stt-plugin-server.url: 'stt.lan:8080' is not")));
  EXPECT_THAT(problems({{"module", "vosk"}}),
              ::testing::Contains(HasSubstr("stt.module: Hark has no speech to text 'vosk'")));
  EXPECT_THAT(problems({{"module", "ovos-stt-plugin-pocketsphinx"}, {"fallback_module", ""}}),
              ::testing::IsEmpty());
  auto s = ListenerSettings::from(
      Json{{"lang", "en-US"},
           {"stt",
            {{"module", "ovos-stt-plugin-server"},
             {"fallback_module", "ovos-stt-plugin-pocketsphinx"},
             {"ovos-stt-plugin-server",
              {{"url", "http://a/stt"}, {"urls", {"http://b/stt"}}, {"timeout", 2.5}}}}}});
  EXPECT_FALSE(s.local_stt);
  EXPECT_EQ(s.fallback_local_stt, true);
  EXPECT_EQ(s.remote.urls, (std::vector<std::string>{"http://a/stt", "http://b/stt"}));
  EXPECT_EQ(s.remote.timeout, 2500ms);
  EXPECT_EQ(s.remote.lang, "en-US");
}

}  // namespace
}  // namespace hark::listener
