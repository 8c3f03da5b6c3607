#include "fanout/config.h"

#include <gtest/gtest.h>

namespace loupe::fanout {
namespace {

EndpointConfig Good() {
  EndpointConfig c;
  c.name = "tempo";
  c.endpoint = "http://tempo:4318";
  return c;
}

TEST(FanoutConfigTest, DefaultsAndGoodEndpointValidate) {
  FanoutConfig config;
  EXPECT_TRUE(config.Validate().ok());
  config.endpoints.push_back(Good());
  EXPECT_TRUE(config.Validate().ok()) << config.Validate().message();
}

TEST(FanoutConfigTest, ErrorsNameTheKeyPath) {
  FanoutConfig config;
  config.endpoints.push_back(Good());
  config.endpoints.push_back(Good());
  config.endpoints[1].name = "jaeger";
  config.endpoints[1].endpoint = "jaeger:4317";
  Status s = config.Validate();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("fanout.endpoints[1].endpoint"), std::string::npos) << s.message();

  config.endpoints[1] = Good();
  s = config.Validate();
  EXPECT_NE(s.message().find("fanout.endpoints[1].name: \"tempo\" is used twice"), std::string::npos)
      << s.message();

  config.endpoints[1].name = "../etc";
  EXPECT_NE(config.Validate().message().find("fanout.endpoints[1].name"), std::string::npos);

  config.endpoints[1] = Good();
  config.endpoints[1].name = "x";
  config.endpoints[1].filter.kind = EndpointFilter::Kind::kAttribute;
  EXPECT_NE(config.Validate().message().find("fanout.endpoints[1].filter.attribute.key"), std::string::npos);

  config.endpoints[1].filter.kind = EndpointFilter::Kind::kAll;
  config.endpoints[1].max_backoff_seconds = 0.5;
  EXPECT_NE(config.Validate().message().find("retry.max_backoff"), std::string::npos);

  config.endpoints[1].max_backoff_seconds = 30;
  config.endpoints[1].headers.push_back({"bad name", "v"});
  EXPECT_NE(config.Validate().message().find("fanout.endpoints[1].headers"), std::string::npos);
}

TEST(FanoutConfigTest, Protocols) {
  for (Protocol p : {Protocol::kGrpc, Protocol::kHttpProtobuf, Protocol::kHttpJson}) {
    auto parsed = ParseProtocol(ProtocolName(p));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, p);
  }
  EXPECT_FALSE(ParseProtocol("http").ok());
}

}  // namespace
}  // namespace loupe::fanout
