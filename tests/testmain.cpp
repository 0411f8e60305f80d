// The test main of every suite: a QCoreApplication (or QApplication for GUI suites, which
// provide their own factory) exists before any test runs; headless unless told otherwise.
#include <QCoreApplication>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>

QCoreApplication* createTestApplication(int& argc, char** argv);

#if !defined(IOTC_GUI_TESTS)
QCoreApplication* createTestApplication(int& argc, char** argv)
{
    return new QCoreApplication(argc, argv);
}
#endif

namespace {

// A test that hangs is stopped by ctest's timeout with nothing to say why. Shortly before that, the
// watchdog prints every thread's stack (when gdb is there) and aborts, so a hang in CI explains
// itself. IOTC_TEST_WATCHDOG_S changes the time (0: off).
void startWatchdog()
{
    const char* env = std::getenv("IOTC_TEST_WATCHDOG_S");
    const long seconds = env ? std::atol(env) : 100;
    if (seconds <= 0)
        return;
    std::thread([seconds] {
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        std::fprintf(stderr, "\ntest watchdog: still running after %ld s; every thread's stack:\n", seconds);
        const std::string command = "command -v gdb >/dev/null && gdb -p " + std::to_string(::getpid())
            + " -batch -ex 'thread apply all bt' 1>&2 2>/dev/null";
        [[maybe_unused]] const int rc = std::system(command.c_str());
        std::abort();
    }).detach();
}

} // namespace

int main(int argc, char** argv)
{
    if (!std::getenv("QT_QPA_PLATFORM"))
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
    // Settings of their own: test processes running side by side never share (or lock) one file,
    // and a developer's own settings are left alone.
    QTemporaryDir config;
    if (config.isValid())
        setenv("XDG_CONFIG_HOME", config.path().toLocal8Bit().constData(), 1);
    ::testing::InitGoogleTest(&argc, argv);
    startWatchdog();
    std::unique_ptr<QCoreApplication> app(createTestApplication(argc, argv));
    return RUN_ALL_TESTS();
}
