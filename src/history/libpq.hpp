#pragma once
// libpq, loaded when a PostgreSQL store is first used rather than linked: libpq and the libraries
// it needs (TLS, Kerberos, LDAP, SASL) cost every isobench process ~20 ms of start-up on our VMs,
// and `ab` starts two worker processes per launch, so a verdict would pay it dozens of times.

#include <libpq-fe.h>

namespace isobench::detail::history {

// The libpq functions postgres_connection uses, named as in libpq without the PQ prefix.
struct libpq_api {
  decltype(&PQclear) clear;
  decltype(&PQconnectdb) connectdb;
  decltype(&PQconninfoFree) conninfoFree;
  decltype(&PQconninfoParse) conninfoParse;
  decltype(&PQerrorMessage) errorMessage;
  decltype(&PQexec) exec;
  decltype(&PQexecParams) execParams;
  decltype(&PQfinish) finish;
  decltype(&PQfreemem) freemem;
  decltype(&PQgetisnull) getisnull;
  decltype(&PQgetlength) getlength;
  decltype(&PQgetvalue) getvalue;
  decltype(&PQnfields) nfields;
  decltype(&PQntuples) ntuples;
  decltype(&PQresultErrorMessage) resultErrorMessage;
  decltype(&PQresultStatus) resultStatus;
  decltype(&PQstatus) status;
};

// Loads libpq.so.5 on the first call (thread-safe); throws error(unsupported) naming the library
// and the Debian package when it cannot be loaded or lacks a function.
const libpq_api& libpq();

}  // namespace isobench::detail::history
