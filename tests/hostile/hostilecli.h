// Runs the real iotc-diag binary with hostile input and reports how it ended: the hostile suite's
// contract is "a clear message and exit 2 (or a reported problem, exit 1), never a signal, within
// a bound".
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace iotc::hostile {

struct Ending {
    bool started = false;
    bool finishedInTime = false;
    bool crashed = false; // ended by a signal
    int exitCode = -1;
    qint64 elapsedMs = 0;
    std::string out;
    std::string err;
};

inline Ending runDiag(const QStringList& args, const QByteArray& input = {}, int boundMs = 30000,
    const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    Ending e;
    // IOTC_HOSTILE_TALLY=FILE lists every hostile run (one line each), to count what the suite tries.
    if (const char* tally = std::getenv("IOTC_HOSTILE_TALLY"))
        std::ofstream(tally, std::ios::app) << args.join(QLatin1Char(' ')).left(200).toStdString() << "\n";
    QProcess p;
    p.setProcessEnvironment(env);
    QElapsedTimer clock;
    clock.start();
    p.start(QStringLiteral(IOTC_DIAG_PATH), args);
    e.started = p.waitForStarted(10000);
    if (!e.started)
        return e;
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    e.finishedInTime = p.waitForFinished(boundMs);
    if (!e.finishedInTime) {
        p.kill();
        p.waitForFinished(5000);
    }
    e.elapsedMs = clock.elapsed();
    e.crashed = p.exitStatus() == QProcess::CrashExit;
    e.exitCode = p.exitCode();
    e.out = p.readAllStandardOutput().toStdString();
    e.err = p.readAllStandardError().toStdString();
    return e;
}

// The suite's assertion: ended by itself, in time, without a signal, with one of the allowed codes
// and (for exit 2) a message on stderr.
inline ::testing::AssertionResult endedCleanly(const Ending& e, std::initializer_list<int> allowed = { 2 })
{
    if (!e.started)
        return ::testing::AssertionFailure() << "iotc-diag did not start";
    if (!e.finishedInTime)
        return ::testing::AssertionFailure() << "still running after " << e.elapsedMs << " ms (killed)";
    if (e.crashed)
        return ::testing::AssertionFailure() << "ended by a signal; stderr: " << e.err.substr(0, 2000);
    bool ok = false;
    for (int a : allowed)
        ok = ok || a == e.exitCode;
    if (!ok)
        return ::testing::AssertionFailure()
            << "exit " << e.exitCode << "; stderr: " << e.err.substr(0, 2000) << "; stdout: " << e.out.substr(0, 500);
    if (e.exitCode == 2 && e.err.empty())
        return ::testing::AssertionFailure() << "exit 2 without a message on stderr";
    return ::testing::AssertionSuccess();
}

inline QString writeFile(const QTemporaryDir& dir, const QString& name, const std::string& content)
{
    const auto path = dir.filePath(name);
    std::ofstream(path.toStdString(), std::ios::binary) << content;
    return path;
}

inline QString dataFile(const char* relative)
{
    return QStringLiteral(IOTC_TEST_DATA_DIR "/") + QString::fromLatin1(relative);
}

} // namespace iotc::hostile
