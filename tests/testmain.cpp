// The test main of every suite: a QCoreApplication (or QApplication for GUI suites, which
// provide their own factory) exists before any test runs; headless unless told otherwise.
#include <QCoreApplication>
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

QCoreApplication* createTestApplication(int& argc, char** argv);

#if !defined(IOTC_GUI_TESTS)
QCoreApplication* createTestApplication(int& argc, char** argv)
{
    return new QCoreApplication(argc, argv);
}
#endif

int main(int argc, char** argv)
{
    if (!std::getenv("QT_QPA_PLATFORM"))
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
    ::testing::InitGoogleTest(&argc, argv);
    std::unique_ptr<QCoreApplication> app(createTestApplication(argc, argv));
    return RUN_ALL_TESTS();
}
