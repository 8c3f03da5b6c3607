#include "auth/staged_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace loupe::auth {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(StagedTlsFilesTest, WritesPrivatelyReplacesAndCleansUp) {
  std::string dir;
  {
    StagedTlsFiles staged;
    ASSERT_TRUE(staged.Stage({"CERT-1", "KEY-1\n", ""}).ok());
    EXPECT_EQ(Slurp(staged.identity_path()), "CERT-1\nKEY-1\n");
    EXPECT_EQ(staged.client_ca_path(), "");
    dir = std::filesystem::path(staged.identity_path()).parent_path();
    struct stat st;
    ASSERT_EQ(stat(dir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(stat(staged.identity_path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);  // it holds a private key

    ASSERT_TRUE(staged.Stage({"CERT-2\n", "KEY-2\n", "CA\n"}).ok());
    EXPECT_EQ(Slurp(staged.identity_path()), "CERT-2\nKEY-2\n");
    EXPECT_EQ(Slurp(staged.client_ca_path()), "CA\n");
    EXPECT_FALSE(std::filesystem::exists(staged.identity_path() + ".tmp"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

}  // namespace
}  // namespace loupe::auth
