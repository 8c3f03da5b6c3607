#include "auth/token.h"

#include <gtest/gtest.h>

namespace loupe::auth {
namespace {

TEST(TokenTest, HashIsSha256) {
  // SHA-256("abc") from FIPS 180-2, appendix B.1.
  TokenDigest d = HashToken("abc");
  const uint8_t want[4] = {0xba, 0x78, 0x16, 0xbf};
  EXPECT_EQ(d[0], want[0]);
  EXPECT_EQ(d[1], want[1]);
  EXPECT_EQ(d[2], want[2]);
  EXPECT_EQ(d[3], want[3]);
  EXPECT_EQ(d[31], 0xad);
}

TEST(TokenTest, DigestEquals) {
  EXPECT_TRUE(DigestEquals(HashToken("s3cret-token-0001"), HashToken("s3cret-token-0001")));
  EXPECT_FALSE(DigestEquals(HashToken("s3cret-token-0001"), HashToken("s3cret-token-0002")));
  EXPECT_FALSE(DigestEquals(HashToken("s3cret-token-0001"), HashToken("s3cret-token-000")));
}

TEST(TokenTest, ParseBearer) {
  std::string_view t;
  ASSERT_TRUE(ParseBearer("Bearer abc.def", &t));
  EXPECT_EQ(t, "abc.def");
  ASSERT_TRUE(ParseBearer("  bearer   xyz  ", &t));
  EXPECT_EQ(t, "xyz");
  ASSERT_TRUE(ParseBearer("BEARER q", &t));
  EXPECT_EQ(t, "q");
  EXPECT_FALSE(ParseBearer("", &t));
  EXPECT_FALSE(ParseBearer("Bearer", &t));
  EXPECT_FALSE(ParseBearer("Bearer   ", &t));
  EXPECT_FALSE(ParseBearer("Basic dXNlcjpwYXNz", &t));
  EXPECT_FALSE(ParseBearer("Bearerabc", &t));
  EXPECT_FALSE(ParseBearer("Bearer two words", &t));
}

}  // namespace
}  // namespace loupe::auth
