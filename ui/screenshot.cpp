#include "screenshot.h"

#include "screenshotsafe.h"

#include <QApplication>
#include <QDateTime>
#include <QPainter>
#include <QWidget>

namespace iotc {

QString screenshotFooter(const QString& application, const QString& deviceId)
{
    return QStringLiteral("%1 · device %2 · %3 UTC · IoT Central Workbench %4 · secrets masked")
        .arg(application.isEmpty() ? QStringLiteral("no application") : application,
            deviceId.isEmpty() ? QStringLiteral("(none)") : deviceId,
            QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
            QStringLiteral(IOTC_VERSION));
}

QImage ticketScreenshot(QWidget* widget, const QString& application, const QString& deviceId)
{
    const bool wasSafe = screenshotSafe();
    setScreenshotSafe(true);
    widget->update();
    const QPixmap shot = widget->grab();
    setScreenshotSafe(wasSafe);
    const QFont font = QApplication::font();
    const int footer = QFontMetrics(font).height() + 10;
    const qreal dpr = shot.devicePixelRatio();
    QImage out(QSize(shot.width(), shot.height() + static_cast<int>(footer * dpr)), QImage::Format_ARGB32);
    out.setDevicePixelRatio(dpr);
    out.fill(widget->palette().color(QPalette::Window));
    QPainter p(&out);
    p.drawPixmap(0, 0, shot);
    const QRectF band(0, shot.height() / dpr, shot.width() / dpr, footer);
    p.fillRect(band, widget->palette().color(QPalette::AlternateBase));
    p.setPen(widget->palette().color(QPalette::Text));
    p.setFont(font);
    p.drawText(band.adjusted(8, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft, screenshotFooter(application, deviceId));
    return out;
}

} // namespace iotc
