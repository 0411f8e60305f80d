#pragma once

#include "eventhub/telemetryevent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace iotc {

// The fast path of parseCaptureLine (capturefile.h), for the lines captureLine writes: the line read
// once with JsonReader instead of building a QJsonDocument, for replays of millions of events. It
// reads only what it reads exactly as the Qt path does (ASCII text, members in the order QJsonObject
// keeps them with no name repeated, whole numbers a double holds exactly, flat annotations) and
// returns false for anything else, which the Qt path then reads: that path is the definition.
// e must be a default TelemetryEvent with sequenceNumber -1 (as the Qt path starts it); on false it
// holds whatever was read so far.
bool readCaptureLineFast(QByteArrayView line, TelemetryEvent& e);

// The Qt path itself (capturefile.cpp), the definition parseCaptureLine falls back to; here so the
// tests can hold the fast path to it.
bool parseCaptureLineWithQt(const QByteArray& line, TelemetryEvent& e, QString& error);

} // namespace iotc
