#pragma once
// A real MainWindow connected to the built-in demo app (REST, DPS and AMQP on loopback), for
// offscreen tests that drive the widgets as a user would.
#include "mainwindow.h"
#include "session.h"

#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

#include <memory>

class Workbench : public ::testing::Test {
protected:
    void SetUp() override
    {
        window = std::make_unique<iotc::MainWindow>();
        QSignalSpy loaded(window.get(), &iotc::MainWindow::devicesLoaded);
        window->openDemo();
        ASSERT_TRUE(loaded.wait(30000)) << "the demo app did not come up";
        window->show();
    }
    void TearDown() override { window.reset(); }

    template <class F> static bool waitFor(F predicate, int ms = 20000) { return QTest::qWaitFor(predicate, ms); }

    std::unique_ptr<iotc::MainWindow> window;
};
