#include "privacy/config.h"

#include <gtest/gtest.h>

#include "server/config_reader.h"

namespace loupe::privacy {
namespace {

struct Read {
  ContentPolicyConfig config;
  std::vector<std::string> errors;
};

Read ReadYaml(const std::string& yaml) {
  auto reader = server::ConfigReader::FromText(yaml, "loupe.yaml");
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  Read out;
  ReadContentPolicyConfig(**reader, &out.config);
  out.errors = (*reader)->Errors();
  return out;
}

bool AnyErrorHas(const std::vector<std::string>& errors, const std::string& a, const std::string& b = "") {
  for (const auto& e : errors) {
    if (e.find(a) != std::string::npos && e.find(b) != std::string::npos) return true;
  }
  return false;
}

TEST(ContentPolicyConfigTest, DefaultsAreFullCapture) {
  Read r = ReadYaml("server: {}\n");
  EXPECT_EQ(r.config.capture, CaptureMode::kFull);
  EXPECT_TRUE(r.config.builtin.empty());
  EXPECT_TRUE(r.config.patterns.empty());
  EXPECT_TRUE(r.config.Validate().ok());
}

TEST(ContentPolicyConfigTest, ReadsEveryKey) {
  Read r = ReadYaml(R"(
content:
  capture: redact
  redact:
    builtin: {email: false, ipv4: true, api_keys: true}
    patterns:
      - name: employee_id
        regex: 'EMP-\d{6}'
      - name: ticket
        regex: 'TICKET-(\d+)'
        replacement: 'TICKET-\1-redacted'
    keep_keys: [user.id]
)");
  EXPECT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_EQ(r.config.capture, CaptureMode::kRedact);
  EXPECT_EQ(r.config.builtin.at("email"), false);
  EXPECT_EQ(r.config.builtin.at("ipv4"), true);
  ASSERT_EQ(r.config.patterns.size(), 2u);
  EXPECT_EQ(r.config.patterns[0].name, "employee_id");
  EXPECT_EQ(r.config.patterns[0].regex, R"(EMP-\d{6})");
  EXPECT_EQ(r.config.patterns[0].replacement, "");
  EXPECT_EQ(r.config.patterns[1].replacement, R"(TICKET-\1-redacted)");
  EXPECT_EQ(r.config.keep_keys, std::vector<std::string>{"user.id"});
}

TEST(ContentPolicyConfigTest, CaptureModes) {
  EXPECT_EQ(ReadYaml("content: {capture: none}").config.capture, CaptureMode::kNone);
  EXPECT_EQ(ReadYaml("content: {capture: full}").config.capture, CaptureMode::kFull);
  Read bad = ReadYaml("content: {capture: secret}");
  EXPECT_TRUE(AnyErrorHas(bad.errors, "content.capture", "want full, redact or none")) << bad.errors.size();
}

TEST(ContentPolicyConfigTest, InvalidRegexNamesThePathAndRe2sMessage) {
  Read r = ReadYaml(R"(
content:
  capture: redact
  redact:
    patterns:
      - {name: ok, regex: 'a+'}
      - {name: broken, regex: 'EMP-(\d{6}'}
)");
  EXPECT_TRUE(AnyErrorHas(r.errors, "content.redact.patterns[1].regex", "missing )")) << ::testing::PrintToString(r.errors);
  EXPECT_FALSE(r.config.Validate().ok());
  EXPECT_NE(r.config.Validate().message().find("content.redact.patterns[1].regex"), std::string::npos);
}

TEST(ContentPolicyConfigTest, SemanticErrors) {
  Read r = ReadYaml(R"(
content:
  redact:
    builtin: {emails: true}
    patterns:
      - {name: Bad Name, regex: 'x'}
      - {name: email, regex: 'x'}
      - {name: dup, regex: 'x'}
      - {name: dup, regex: 'y'}
      - {name: norx}
      - {name: rw, regex: '(a)', replacement: '\2'}
      - {name: extra, regex: 'z', colour: blue}
    keep_keys: ['']
)");
  const auto& e = r.errors;
  EXPECT_TRUE(AnyErrorHas(e, "content.redact.builtin.emails", "unknown pattern")) << ::testing::PrintToString(e);
  EXPECT_TRUE(AnyErrorHas(e, "content.redact.builtin.emails", "ipv4"));  // lists the known names
  EXPECT_TRUE(AnyErrorHas(e, "patterns[0].name", "lower-case"));
  EXPECT_TRUE(AnyErrorHas(e, "patterns[1].name", "built-in"));
  EXPECT_TRUE(AnyErrorHas(e, "patterns[3].name", "used twice"));
  EXPECT_TRUE(AnyErrorHas(e, "patterns[4].regex", "required"));
  EXPECT_TRUE(AnyErrorHas(e, "patterns[5].replacement"));
  EXPECT_TRUE(AnyErrorHas(e, "patterns[6].colour", "unknown key"));
  EXPECT_TRUE(AnyErrorHas(e, "keep_keys[0]", "empty"));
}

TEST(ContentPolicyConfigTest, WrongTypes) {
  Read r = ReadYaml("content: {redact: {builtin: {email: maybe}, patterns: nope}}");
  EXPECT_TRUE(AnyErrorHas(r.errors, "content.redact.builtin.email", "true or false")) << ::testing::PrintToString(r.errors);
  EXPECT_TRUE(AnyErrorHas(r.errors, "content.redact.patterns"));
}

}  // namespace
}  // namespace loupe::privacy
