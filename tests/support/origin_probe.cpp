// An executable linked with an $ORIGIN run path (tests/CMakeLists.txt), for executable_copy_test:
// ab must run such a build in place.
int main() {
  return 0;
}
