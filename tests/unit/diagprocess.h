#pragma once

// Running the real iotc-diag binary (IOTC_DIAG_PATH) from a test, and the files it reads.
#include "testdata.h"

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace iotc::test {

struct DiagRun {
    int exitCode = -1;
    std::string out;
    std::string err;
};

// iotc-diag with these arguments, input on its standard input (closed either way); at most a minute.
inline DiagRun diag(const QStringList& args, const QByteArray& input = {})
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH), args);
    EXPECT_TRUE(p.waitForStarted(10000));
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    EXPECT_TRUE(p.waitForFinished(60000));
    return { p.exitCode(), p.readAllStandardOutput().toStdString(), p.readAllStandardError().toStdString() };
}

// A file of tests/data, by its path there.
inline QString dataFile(const std::string& relative)
{
    return QString::fromStdString(dataPath(relative).string());
}

// Writes content to name in dir; returns its path.
inline QString writeFile(const QTemporaryDir& dir, const char* name, const std::string& content)
{
    const auto path = dir.filePath(QString::fromLatin1(name));
    std::ofstream(path.toStdString(), std::ios::binary) << content;
    return path;
}

} // namespace iotc::test
