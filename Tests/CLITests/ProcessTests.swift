import Testing

/// Suites that kill, stop or load real speakerdb processes run one after another, never
/// alongside each other: run in parallel, two suites that SIGKILL processes and spawn
/// others interfered (a killed crawl's replacement stalled for minutes), and the load
/// test's 30 s of full CPU would distort the others' timing.
@Suite("Processes killed, stopped and loaded", .serialized)
struct ProcessTests {}
