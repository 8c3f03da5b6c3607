#include "auth/authenticator.h"

#include <gtest/gtest.h>

#include "metrics/registry.h"

namespace loupe::auth {
namespace {

constexpr char kIngest[] = "ingest-token-0123456789";
constexpr char kRead[] = "read-token-0123456789";
constexpr char kAdmin[] = "admin-token-0123456789";

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthenticatorTest() : auth_(Config(), &registry_) {}
  static AuthConfig Config() {
    AuthConfig c;
    c.AddIngestToken(kIngest, "app");
    c.AddApiToken(kRead, Role::kRead, "grafana");
    c.AddApiToken(kAdmin, Role::kAdmin, "ops");
    return c;
  }
  uint64_t Failures(const std::string& listener, const std::string& reason) {
    return registry_
        .GetCounter("loupe_auth_failures_total", "", {{"listener", listener}, {"reason", reason}})
        .Value();
  }

  metrics::Registry registry_;
  Authenticator auth_;
};

TEST_F(AuthenticatorTest, NothingRequiredWithoutTokens) {
  Authenticator open(AuthConfig{}, &registry_);
  for (Scope s : {Scope::kIngest, Scope::kRead, Scope::kAdmin}) {
    EXPECT_FALSE(open.Required(s));
    Decision d = open.Check("api", s, "");
    EXPECT_EQ(d.outcome, Outcome::kNotRequired);
    EXPECT_TRUE(d.allowed());
    // A token sent anyway is not checked against anything.
    EXPECT_TRUE(open.Check("api", s, "Bearer whatever").allowed());
  }
}

TEST_F(AuthenticatorTest, IngestTokenIsOnlyForIngest) {
  Decision d = auth_.Check("otlp_http", Scope::kIngest, std::string("Bearer ") + kIngest);
  EXPECT_EQ(d.outcome, Outcome::kOk);
  EXPECT_EQ(d.name, "app");
  // An API token is not an ingest token, and the reverse.
  EXPECT_EQ(auth_.Check("otlp_http", Scope::kIngest, std::string("Bearer ") + kAdmin).outcome,
            Outcome::kInvalid);
  EXPECT_EQ(auth_.Check("api", Scope::kRead, std::string("Bearer ") + kIngest).outcome,
            Outcome::kInvalid);
}

TEST_F(AuthenticatorTest, RolesOnScopes) {
  std::string read = std::string("Bearer ") + kRead, admin = std::string("bearer ") + kAdmin;
  Decision d = auth_.Check("api", Scope::kRead, read);
  EXPECT_EQ(d.outcome, Outcome::kOk);
  EXPECT_EQ(d.role, Role::kRead);
  EXPECT_EQ(d.name, "grafana");
  d = auth_.Check("api", Scope::kRead, admin);  // admin includes read
  EXPECT_EQ(d.outcome, Outcome::kOk);
  EXPECT_EQ(d.role, Role::kAdmin);
  d = auth_.Check("api", Scope::kAdmin, admin);
  EXPECT_EQ(d.outcome, Outcome::kOk);
  d = auth_.Check("api", Scope::kAdmin, read);
  EXPECT_EQ(d.outcome, Outcome::kForbidden);
  EXPECT_FALSE(d.allowed());
  EXPECT_EQ(d.http_status(), 403);
  EXPECT_NE(d.message.find("admin"), std::string::npos);
  EXPECT_EQ(d.challenge(), "");
  EXPECT_EQ(Failures("api", "forbidden"), 1u);
}

TEST_F(AuthenticatorTest, MissingAndInvalidAreTold) {
  Decision d = auth_.Check("api", Scope::kRead, "");
  EXPECT_EQ(d.outcome, Outcome::kMissing);
  EXPECT_EQ(d.http_status(), 401);
  EXPECT_EQ(d.message.rfind("missing bearer token", 0), 0u) << d.message;
  EXPECT_EQ(d.challenge(), "Bearer realm=\"loupe\"");

  d = auth_.Check("api", Scope::kRead, "Bearer not-a-configured-token");
  EXPECT_EQ(d.outcome, Outcome::kInvalid);
  EXPECT_EQ(d.http_status(), 401);
  EXPECT_EQ(d.message.rfind("unknown token", 0), 0u) << d.message;
  EXPECT_NE(d.challenge().find("error=\"invalid_token\""), std::string::npos);

  d = auth_.Check("api", Scope::kRead, std::string("Basic ") + kRead);
  EXPECT_EQ(d.outcome, Outcome::kInvalid);
  EXPECT_NE(d.message.find("malformed"), std::string::npos);

  // A prefix or extension of a real token is not the token.
  EXPECT_EQ(auth_.Check("api", Scope::kRead, "Bearer read-token-012345678").outcome,
            Outcome::kInvalid);
  EXPECT_EQ(auth_.Check("api", Scope::kRead, std::string("Bearer ") + kRead + "9").outcome,
            Outcome::kInvalid);

  EXPECT_EQ(Failures("api", "missing"), 1u);
  EXPECT_EQ(Failures("api", "invalid"), 4u);
  auth_.Check("otlp_grpc", Scope::kIngest, "  ");
  EXPECT_EQ(Failures("otlp_grpc", "missing"), 1u);
}

}  // namespace
}  // namespace loupe::auth
