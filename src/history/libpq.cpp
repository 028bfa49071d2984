#include "history/libpq.hpp"

#include <dlfcn.h>

#include <string>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::detail::history {

namespace {

constexpr const char* library = "libpq.so.5";

[[noreturn]] void unavailable(const std::string& why) {
  throw error(exit_code::unsupported,
              fmt::format("PostgreSQL store: cannot load {} ({}); install Debian's libpq5 package", library, why));
}

template <class F>
void resolve(void* handle, F& slot, const char* name) {
  void* symbol = ::dlsym(handle, name);
  if (symbol == nullptr) unavailable(fmt::format("it has no {}", name));
  slot = reinterpret_cast<F>(symbol);  // NOLINT: dlsym's documented use
}

libpq_api load() {
  void* handle = ::dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    unavailable(why != nullptr ? why : "not found");
  }
  libpq_api api{};
  resolve(handle, api.clear, "PQclear");
  resolve(handle, api.connectdb, "PQconnectdb");
  resolve(handle, api.conninfoFree, "PQconninfoFree");
  resolve(handle, api.conninfoParse, "PQconninfoParse");
  resolve(handle, api.errorMessage, "PQerrorMessage");
  resolve(handle, api.exec, "PQexec");
  resolve(handle, api.execParams, "PQexecParams");
  resolve(handle, api.finish, "PQfinish");
  resolve(handle, api.freemem, "PQfreemem");
  resolve(handle, api.getisnull, "PQgetisnull");
  resolve(handle, api.getlength, "PQgetlength");
  resolve(handle, api.getvalue, "PQgetvalue");
  resolve(handle, api.nfields, "PQnfields");
  resolve(handle, api.ntuples, "PQntuples");
  resolve(handle, api.resultErrorMessage, "PQresultErrorMessage");
  resolve(handle, api.resultStatus, "PQresultStatus");
  resolve(handle, api.status, "PQstatus");
  return api;  // the handle stays open for the life of the process
}

}  // namespace

const libpq_api& libpq() {
  static const libpq_api api = load();
  return api;
}

}  // namespace isobench::detail::history
