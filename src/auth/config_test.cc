#include "auth/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "server/config_reader.h"

namespace loupe::auth {
namespace {

std::unique_ptr<server::ConfigReader> Reader(const std::string& yaml) {
  auto r = server::ConfigReader::FromText(yaml, "loupe.yaml");
  EXPECT_TRUE(r.ok()) << r.status().message();
  return std::move(r.value());
}

std::string AllErrors(const server::ConfigReader& r) {
  std::string out;
  for (const auto& e : r.Errors()) out += e + "\n";
  return out;
}

TEST(AuthConfigTest, DefaultsAreOpen) {
  auto r = Reader("server: {}\n");
  AuthConfig c;
  ReadAuthConfig(*r, &c);
  EXPECT_TRUE(c.ingest_tokens.empty());
  EXPECT_TRUE(c.api_tokens.empty());
  EXPECT_TRUE(c.metrics_open);
}

TEST(AuthConfigTest, ReadsEveryTokenSource) {
  setenv("LOUPE_TEST_API_TOKEN", "from-the-environment-123", 1);
  std::string file = ::testing::TempDir() + "/loupe_token_file";
  std::ofstream(file) << "from-a-file-0123456789\n";
  auto r = Reader(
      "auth:\n"
      "  metrics_open: false\n"
      "  ingest_tokens:\n"
      "    - ingest-token-plain-0001\n"
      "    - {token: ingest-token-named-0002, name: app}\n"
      "  api_tokens:\n"
      "    - {token_env: LOUPE_TEST_API_TOKEN, role: admin, name: ops}\n"
      "    - token_file: " + file + "\n"
      "      name: grafana\n");
  AuthConfig c;
  ReadAuthConfig(*r, &c);
  EXPECT_EQ(AllErrors(*r), "");
  ASSERT_EQ(c.ingest_tokens.size(), 2u);
  EXPECT_EQ(c.ingest_tokens[0].name, "ingest[0]");
  EXPECT_TRUE(DigestEquals(c.ingest_tokens[0].digest, HashToken("ingest-token-plain-0001")));
  EXPECT_EQ(c.ingest_tokens[1].name, "app");
  ASSERT_EQ(c.api_tokens.size(), 2u);
  EXPECT_EQ(c.api_tokens[0].name, "ops");
  EXPECT_EQ(c.api_tokens[0].role, Role::kAdmin);
  EXPECT_TRUE(DigestEquals(c.api_tokens[0].digest, HashToken("from-the-environment-123")));
  EXPECT_EQ(c.api_tokens[1].name, "grafana");
  EXPECT_EQ(c.api_tokens[1].role, Role::kRead);  // the default role
  // The file's trailing newline is not part of the token.
  EXPECT_TRUE(DigestEquals(c.api_tokens[1].digest, HashToken("from-a-file-0123456789")));
  EXPECT_FALSE(c.metrics_open);
}

TEST(AuthConfigTest, ReportsEachProblemWithItsKeyPath) {
  unsetenv("LOUPE_TEST_UNSET_VARIABLE");
  auto r = Reader(
      "auth:\n"
      "  ingest_tokens:\n"
      "    - short\n"
      "    - {name: no-token}\n"
      "    - {token: duplicate-token-0001}\n"
      "    - {token: duplicate-token-0001}\n"
      "    - {token: ingest-typo-token-01, nmae: x}\n"
      "    - bare-ingest-token-00001\n"
      "  api_tokens:\n"
      "    - {token_env: LOUPE_TEST_UNSET_VARIABLE}\n"
      "    - {token_file: /nonexistent/loupe/token}\n"
      "    - {token: api-token-with-bad-role, role: owner}\n"
      "    - {token: two-sources-000001, token_env: X}\n"
      "    - {token: typo-key-token-0001, rol: admin}\n");
  AuthConfig c;
  ReadAuthConfig(*r, &c);
  std::string e = AllErrors(*r);
  EXPECT_NE(e.find("auth.ingest_tokens[0]: token is shorter than 16"), std::string::npos) << e;
  EXPECT_NE(e.find("auth.ingest_tokens[1]: set exactly one of token"), std::string::npos) << e;
  EXPECT_NE(e.find("auth.ingest_tokens[3]: the same token is listed twice"), std::string::npos)
      << e;
  EXPECT_NE(e.find("auth.api_tokens[0].token_env: environment variable "
                   "LOUPE_TEST_UNSET_VARIABLE is not set"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("auth.api_tokens[1].token_file: cannot read /nonexistent/loupe/token"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("auth.api_tokens[2].role: 'owner' is not a role"), std::string::npos) << e;
  EXPECT_NE(e.find("auth.api_tokens[3]: set exactly one of"), std::string::npos) << e;
  EXPECT_NE(e.find("auth.api_tokens[4].rol: unknown key"), std::string::npos) << e;
  EXPECT_NE(e.find("auth.ingest_tokens[4].nmae: unknown key"), std::string::npos) << e;
  // Only the valid entries are kept.
  ASSERT_EQ(c.ingest_tokens.size(), 3u);
  ASSERT_EQ(c.api_tokens.size(), 1u);
  EXPECT_EQ(c.api_tokens[0].role, Role::kRead);
}

}  // namespace
}  // namespace loupe::auth
