// Fault injection for crash-safety tests. With FEEDLOOP_CRASH_AT=<point>[:<n>] in the
// environment, the process kills itself with SIGKILL the n-th time (default: the first) it passes
// CrashPoint(<point>). Without the variable it costs one relaxed atomic load.
//
// Points: ingest.batch (after an ingest transaction commits), ingest.file (after a file is
// complete), analyze.round (after an analyze transaction commits), report.write (after the report
// files are written, before they are published), run.finish (before the run row is closed).
#pragma once

namespace feedloop {

void CrashPoint(const char* point);

}  // namespace feedloop
