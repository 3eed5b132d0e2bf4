const { writeSync } = require('node:fs');

// Ends a Jest run with one plain line that CI reads: "jest: N passed, N failed, N skipped".
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const failed = numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = numPendingTests + numTodoTests;
    const line = `jest: ${numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`;
    // Written on exit, synchronously, so it comes after Jest's own summary.
    process.once('exit', () => writeSync(1, line));
  }
}

module.exports = SummaryReporter;
