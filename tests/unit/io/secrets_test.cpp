// Passwords in PostgreSQL URLs and connection strings: every form libpq accepts registers its
// password (raw and decoded), and the name shown has none of it.
#include <gtest/gtest.h>

#include "history/sql.hpp"
#include "io/secrets.hpp"

namespace isobench::detail {
namespace {

TEST(secrets, every_connection_form_hides_its_password) {
  struct form {
    const char* conn;
    const char* secret;
  };
  const form forms[] = {
      {"postgresql://u:Sx1pass@h:5432/db", "Sx1pass"},
      {"postgres://u@h/db?password=Sx2pass&sslmode=disable", "Sx2pass"},
      {"postgresql://u@h/db?password=Sx3%41pass", "Sx3Apass"},
      {"postgresql://u:Sx4%40pass@h/db", "Sx4@pass"},
      {"postgresql://u:Sx5pass@[::1/db", "Sx5pass"},
      {"host=h user=u password=Sx6pass dbname=d", "Sx6pass"},
      {"host=h password = 'Sx7 pass' dbname=d", "Sx7 pass"},
      {"host=h password='Sx8\\'pass'", "Sx8'pass"},
      {"host=h password='Sx9pass", "Sx9pass"},
  };
  for (const auto& f : forms) {
    ASSERT_TRUE(history::is_postgres(f.conn)) << f.conn;
    const auto shown = history::register_connection_secrets(f.conn);
    EXPECT_EQ(shown.find(f.secret), std::string::npos) << f.conn << " -> " << shown;
    const auto scrubbed = scrub_secrets(std::string("error: ") + f.secret + " and " + f.conn);
    EXPECT_EQ(scrubbed.find(f.secret), std::string::npos) << scrubbed;
    EXPECT_EQ(scrubbed.find("Sx"), std::string::npos) << scrubbed;
  }
  EXPECT_EQ(history::register_connection_secrets("postgresql://u:Sx0pass@db.example.org:5433/hist"),
            "postgresql://u@db.example.org:5433/hist");
  EXPECT_FALSE(history::is_postgres("history.sqlite"));
  EXPECT_FALSE(history::is_postgres("a=b.sqlite"));
  // An unencoded '@' in the password: libpq would read part of it as the host; nothing is shown.
  const auto ambiguous = history::register_connection_secrets("postgresql://u:Sy1@pass@h/db");
  EXPECT_EQ(ambiguous.find("pass"), std::string::npos) << ambiguous;
}

}  // namespace
}  // namespace isobench::detail
