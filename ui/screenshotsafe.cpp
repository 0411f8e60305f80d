#include "screenshotsafe.h"

#include "util/redact.h"

#include <atomic>

namespace iotc {

namespace {
std::atomic<bool> g_safe { true };
}

bool screenshotSafe()
{
    return g_safe;
}

void setScreenshotSafe(bool on)
{
    if (g_safe.exchange(on) != on)
        Q_EMIT screenshotSafeNotifier()->changed(on);
}

ScreenshotSafeNotifier* screenshotSafeNotifier()
{
    static ScreenshotSafeNotifier notifier;
    return &notifier;
}

QString displaySafe(const QString& text)
{
    return g_safe ? redactSecrets(text) : text;
}

} // namespace iotc
