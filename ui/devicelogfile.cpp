#include "devicelogfile.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

namespace {

struct LogRead {
    QString text;
    QString name;
    QString error;
};

constexpr qint64 MaxLog = 16 * 1024 * 1024;

} // namespace

void openDeviceLog(QWidget* parent, std::function<void(const QString&, const QString&, const QString&)> done)
{
    const QString path = QFileDialog::getOpenFileName(
        parent, QObject::tr("Device log"), QString(), QObject::tr("Logs (*.log *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    auto* watcher = new QFutureWatcher<LogRead>(parent);
    QObject::connect(watcher, &QFutureWatcher<LogRead>::finished, parent, [watcher, done = std::move(done)] {
        const LogRead r = watcher->result();
        watcher->deleteLater();
        done(r.text, r.name, r.error);
    });
    watcher->setFuture(QtConcurrent::run([path] {
        LogRead r;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            r.error = QObject::tr("Cannot read %1: %2").arg(path, f.errorString());
            return r;
        }
        r.text = QString::fromUtf8(f.read(MaxLog));
        r.name = QFileInfo(path).fileName();
        if (f.size() > MaxLog)
            r.name += QObject::tr(" (first %1 MiB of %2 MiB)").arg(MaxLog >> 20).arg(f.size() >> 20);
        return r;
    }));
}

} // namespace iotc
