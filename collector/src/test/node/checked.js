'use strict';
// What send.js and send-trace.js share: exporters whose failed exports are recorded (the SDK would only
// log them), so the script can report them and exit non-zero.

/** Every failed export so far, as "what: message". */
const failures = [];

/** Wraps exporter.export so a failed result lands in failures under what. */
function checked(exporter, what) {
  const exportFn = exporter.export.bind(exporter);
  exporter.export = (items, done) =>
    exportFn(items, (result) => {
      if (result.code !== 0) failures.push(`${what}: ${result.error && result.error.message}`);
      done(result);
    });
  return exporter;
}

module.exports = { failures, checked };
