#include "bus/handshake.h"

#include <gtest/gtest.h>

namespace hark::bus {
namespace {
namespace http = boost::beast::http;

HttpRequest upgrade_request(std::string target) {
  HttpRequest request{http::verb::get, target, 11};
  request.set(http::field::host, "127.0.0.1:8181");
  request.set(http::field::upgrade, "websocket");
  request.set(http::field::connection, "Upgrade");
  request.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  request.set(http::field::sec_websocket_version, "13");
  return request;
}

TEST(Handshake, AcceptKeyFromRfc6455Example) {
  EXPECT_EQ(websocket_accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(Handshake, UpgradesOnTheRoute) {
  auto d = decide(upgrade_request("/core"), {"/core", "", true});
  EXPECT_EQ(d.verdict, Verdict::upgrade);
  EXPECT_EQ(d.response.result(), http::status::switching_protocols);
  EXPECT_EQ(d.response[http::field::sec_websocket_accept], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(Handshake, OtherRoutesAre404) {
  auto d = decide(upgrade_request("/gui"), {"/core", "", true});
  EXPECT_EQ(d.verdict, Verdict::refused);
  EXPECT_EQ(d.response.result(), http::status::not_found);
}

TEST(Handshake, TokenByQueryOrBearer) {
  const HandshakePolicy policy{"/core", "s3cret/+=", true};
  EXPECT_EQ(decide(upgrade_request("/core"), policy).verdict, Verdict::unauthorized);
  EXPECT_EQ(decide(upgrade_request("/core?token=wrong"), policy).verdict, Verdict::unauthorized);
  EXPECT_EQ(decide(upgrade_request("/core?token=s3cret%2F%2B%3D"), policy).verdict,
            Verdict::upgrade);
  auto bearer = upgrade_request("/core");
  bearer.set(http::field::authorization, "Bearer s3cret/+=");
  EXPECT_EQ(decide(bearer, policy).verdict, Verdict::upgrade);
  auto unauthorized = decide(upgrade_request("/core?token=s3cret"), policy);
  EXPECT_EQ(unauthorized.response.result(), http::status::unauthorized);
  EXPECT_EQ(unauthorized.response[http::field::www_authenticate], "Bearer");
}

TEST(Handshake, ForeignBrowserOriginsNeedAToken) {
  auto request = upgrade_request("/core");
  request.set(http::field::origin, "https://evil.example");
  EXPECT_EQ(decide(request, {"/core", "", true}).response.result(), http::status::forbidden);
  request.set(http::field::origin, "http://127.0.0.1:8181");
  EXPECT_EQ(decide(request, {"/core", "", true}).verdict, Verdict::upgrade);
  request.set(http::field::origin, "http://localhost");
  EXPECT_EQ(decide(request, {"/core", "", true}).verdict, Verdict::upgrade);
  request.set(http::field::origin, "https://evil.example");
  request.set(http::field::authorization, "Bearer t");
  EXPECT_EQ(decide(request, {"/core", "t", true}).verdict, Verdict::upgrade);
}

TEST(Handshake, PlainHttpAndOldVersionsAreRefused) {
  HttpRequest plain{http::verb::get, "/core", 11};
  EXPECT_EQ(decide(plain, {"/core", "", true}).response.result(), http::status::upgrade_required);
  auto old = upgrade_request("/core");
  old.set(http::field::sec_websocket_version, "8");
  auto d = decide(old, {"/core", "", true});
  EXPECT_EQ(d.response.result(), http::status::upgrade_required);
  EXPECT_EQ(d.response[http::field::sec_websocket_version], "13");
  HttpRequest post{http::verb::post, "/core", 11};
  EXPECT_EQ(decide(post, {"/core", "", true}).response.result(), http::status::method_not_allowed);
}

TEST(Handshake, FullBusIs503) {
  auto d = decide(upgrade_request("/core"), {"/core", "", false});
  EXPECT_EQ(d.response.result(), http::status::service_unavailable);
}

TEST(Handshake, StatusNeedsTheTokenToo) {
  HttpRequest status{http::verb::get, "/status", 11};
  EXPECT_EQ(decide(status, {"/core", "", true}).verdict, Verdict::status);
  EXPECT_EQ(decide(status, {"/core", "t", true}).verdict, Verdict::unauthorized);
}

TEST(Handshake, SecretComparison) {
  EXPECT_TRUE(same_secret("abc", "abc"));
  EXPECT_FALSE(same_secret("abc", "abd"));
  EXPECT_FALSE(same_secret("abc", "abcd"));
  EXPECT_FALSE(same_secret("", "x"));
}

}  // namespace
}  // namespace hark::bus
