#pragma once

#include <QString>

namespace iotc {

// The one redactor for every text that leaves the program: reports, exports, the screenshot-safe
// view, CLI output and logs. It masks the value of a secret-named key in any spelling and quoting
// (sig=, SIG%3D, "sharedAccessKey": "...", {\"apiToken\":\"...\"}, 'primaryKey': '...', x-api-key:,
// client_secret=, AccountKey=, Pwd=, connection strings, {"name":"SharedAccessKey","value":"..."}),
// Bearer/Basic credentials, JWTs and PEM private keys; names are compared without case or _ -
// separators. Text without a secret's shape (prose, "temperature": 21, "basic S1 tier") stays as it
// was. Never joins or splits lines: the diagnoser scans the redacted log line by line. One linear
// pass: safe on any text of any length. Idempotent.
QString redactSecrets(const QString& text);

// A sample of a body for a report or an export: redacted whole, then cut to maxChars (never the
// other way round: a cut can part a key from its value, and a half key is still a secret). The cut
// never halves a character or a <redacted> marker. For a message, reportSample (report/sample.h).
QString redactedSample(const QString& text, qsizetype maxChars);

} // namespace iotc
