#include "core/md5.h"

#include <gtest/gtest.h>

#include <string>

namespace hark {
namespace {

// RFC 1321's test suite, and bytes past ASCII.
TEST(Md5, HexOfRfc1321Vectors) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(md5_hex(std::string(1000000, 'a')), "7707d6ae4e027c70eea2a935c2296f21");
  EXPECT_EQ(md5_hex("\xc3\xa9t\xc3\xa9"), "deaf6a1e9612a4d8c221e68ee23d58d2");
}

}  // namespace
}  // namespace hark
