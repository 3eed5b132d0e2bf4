const { relative } = require('node:path');
const { writeSync } = require('node:fs');

/** How many of the slowest test files the summary lists (the suite's time budget is 15 min). */
const SLOWEST = 12;

// Ends a Jest run with the slowest test files, then one plain line that CI reads:
// "jest: N passed, N failed, N skipped".
class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const failed = numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = numPendingTests + numTodoTests;
    const slowest = results.testResults
      .map((file) => ({
        path: relative(this.rootDir, file.testFilePath),
        seconds: (file.perfStats.end - file.perfStats.start) / 1000,
      }))
      .filter((file) => Number.isFinite(file.seconds))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, SLOWEST);
    const total = results.testResults.reduce(
      (sum, file) => sum + Math.max(0, file.perfStats.end - file.perfStats.start) / 1000,
      0,
    );
    const lines = [
      `slowest test files (of ${results.testResults.length}, ${total.toFixed(0)} s in all):`,
      ...slowest.map((file) => `  ${file.seconds.toFixed(1).padStart(6)} s  ${file.path}`),
      `jest: ${numPassedTests} passed, ${failed} failed, ${skipped} skipped`,
    ];
    // Written on exit, synchronously, so it comes after Jest's own summary.
    process.once('exit', () => writeSync(1, `${lines.join('\n')}\n`));
  }
}

module.exports = SummaryReporter;
